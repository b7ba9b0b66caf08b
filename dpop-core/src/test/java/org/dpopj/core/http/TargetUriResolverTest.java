package org.dpopj.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.junit.jupiter.api.Test;

class TargetUriResolverTest {

    private static final String PROXY = "10.0.0.5";
    private static final String CLIENT = "203.0.113.9";
    private static final String CONTAINER = "http://app.internal:8080/shop/api/orders";
    private static final String PATH = "/shop/api/orders";

    private static TargetUriResolver trusting(String... proxies) {
        return TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, String.join(",", proxies))));
    }

    private static TargetUriResolver trusting(String family, String proxy) {
        return TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, proxy,
                DPoPSettings.HTU_FORWARDED_HEADERS, family)));
    }

    /** @return the target URI of a request from {@link #PROXY}, trusted with header {@code family} */
    private static String viaProxy(String family, String... nameValuePairs) {
        return trusting(family, PROXY).resolve(CONTAINER, PATH, PROXY, headers(nameValuePairs));
    }

    private static Function<String, List<String>> headers(String... nameValuePairs) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            map.computeIfAbsent(nameValuePairs[i].toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(nameValuePairs[i + 1]);
        }
        return name -> map.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Test
    void usesContainerViewByDefault() {
        String uri = TargetUriResolver.containerView().resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Host", "evil.example"));
        assertThat(uri).isEqualTo(CONTAINER);
    }

    @Test
    void dropsQueryAndFragmentFromContainerView() {
        assertThat(TargetUriResolver.containerView().resolve(CONTAINER + "?page=2#x", PATH, null, headers()))
                .isEqualTo(CONTAINER);
    }

    @Test
    void ignoresForwardedHeadersFromUntrustedPeer() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, CLIENT,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com",
                        "Forwarded", "proto=https;host=api.example.com"));
        assertThat(uri).isEqualTo(CONTAINER);
    }

    @Test
    void ignoresForwardedHeadersWhenPeerAddressUnknown() {
        assertThat(trusting("0.0.0.0/0").resolve(CONTAINER, PATH, null,
                headers("X-Forwarded-Host", "api.example.com"))).isEqualTo(CONTAINER);
    }

    @Test
    void honoursXForwardedProtoAndHostFromTrustedProxy() {
        String uri = trusting("10.0.0.0/24").resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void honoursXForwardedPortOverHostPort() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com:9000",
                        "X-Forwarded-Port", "8443"));
        assertThat(uri).isEqualTo("https://api.example.com:8443/shop/api/orders");
    }

    @Test
    void keepsPortOfForwardedHost() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com:8443"));
        assertThat(uri).isEqualTo("https://api.example.com:8443/shop/api/orders");
    }

    @Test
    void prependsXForwardedPrefix() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "example.com", "X-Forwarded-Prefix", "/edge/"));
        assertThat(uri).isEqualTo("https://example.com/edge/shop/api/orders");
    }

    @Test
    void takesContainerHostWhenOnlyProtoIsForwarded() {
        String uri = trusting(PROXY).resolve("http://api.example.com/shop/api/orders", PATH, PROXY,
                headers("X-Forwarded-Proto", "https"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void usesLastXForwardedValueWrittenByTheTrustedPeer() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Host", "evil.example, api.example.com", "X-Forwarded-Proto", "http,https"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void honoursRfc7239ForwardedWithQuotedValues() {
        String uri = viaProxy("forwarded", "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=\"https\";host=\"api.example.com:8443\"");
        assertThat(uri).isEqualTo("https://api.example.com:8443/shop/api/orders");
    }

    @Test
    void ofWithoutFamilyReadsXForwardedHeadersOnly() {
        String uri = TargetUriResolver.of(null, TrustedProxies.of(List.of(PROXY))).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com",
                        "Forwarded", "host=evil.example;proto=https"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void ignoresClientForwardedHeaderPassedThroughAnXForwardedProxyByDefault() {
        String uri = trusting(PROXY).resolve(CONTAINER, PATH, PROXY,
                headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com",
                        "Forwarded", "host=evil.example;proto=https"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void ignoresClientForwardedHeaderWithXForwardedFamily() {
        String uri = viaProxy("x-forwarded", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com",
                "Forwarded", "host=evil.example;proto=https");
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void ignoresLoneClientForwardedHeaderWithXForwardedFamily() {
        String uri = viaProxy("x-forwarded", "Forwarded", "host=evil.example;proto=https");
        assertThat(uri).isEqualTo(CONTAINER);
    }

    @Test
    void ignoresClientXForwardedHeadersWithForwardedFamily() {
        String uri = viaProxy("forwarded", "Forwarded", "proto=https;host=api.example.com",
                "X-Forwarded-Proto", "http", "X-Forwarded-Host", "evil.example", "X-Forwarded-Port", "8443");
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void ignoresLoneClientXForwardedHeadersWithForwardedFamily() {
        String uri = viaProxy("forwarded", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example");
        assertThat(uri).isEqualTo(CONTAINER);
    }

    @Test
    void ignoresXForwardedPrefixWithForwardedFamily() {
        String uri = viaProxy("forwarded", "Forwarded", "proto=https;host=api.example.com", "X-Forwarded-Prefix", "/evil");
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void ignoresBothFamiliesWithNone() {
        String uri = viaProxy("none", "Forwarded", "proto=https;host=api.example.com",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com");
        assertThat(uri).isEqualTo(CONTAINER);
    }

    @Test
    void readsForwardedHeadersFamilyCaseInsensitively() {
        String uri = viaProxy("X-Forwarded", "X-Forwarded-Host", "api.example.com", "Forwarded", "host=evil.example");
        assertThat(uri).isEqualTo("http://api.example.com/shop/api/orders");
    }

    @Test
    void refusesUnknownForwardedHeadersFamilyNamingKey() {
        for (String bad : List.of("both", "x-forwarded,forwarded", "rfc7239")) {
            assertThatThrownBy(() -> trusting(bad, PROXY))
                    .as(bad)
                    .isInstanceOfSatisfying(DPoPConfigurationException.class,
                            e -> assertThat(e.key()).isEqualTo(DPoPSettings.HTU_FORWARDED_HEADERS));
        }
    }

    @Test
    void ignoresForwardedElementsAClientPutInFrontOfTheList() {
        String uri = viaProxy("forwarded", "Forwarded", "host=evil.example;proto=http",
                "Forwarded", "for=" + CLIENT + ";host=api.example.com;proto=https");
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void walksForwardedChainBackToOutermostTrustedProxy() {
        String uri = trusting("forwarded", "10.0.0.0/24").resolve(CONTAINER, PATH, PROXY,
                headers("Forwarded", "for=" + CLIENT + ";host=api.example.com;proto=https, for=10.0.0.9;host=lb.internal;proto=http"));
        assertThat(uri).isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void fallsBackToContainerViewOnMalformedForwardedValues() {
        TargetUriResolver resolver = trusting("forwarded", PROXY);
        for (Function<String, List<String>> bad : List.of(
                headers("Forwarded", "host=\"api.example.com"),
                headers("Forwarded", "proto=ftp;host=api.example.com"),
                headers("Forwarded", "host=api.example.com;host=other.example"))) {
            assertThat(resolver.resolve(CONTAINER, PATH, PROXY, bad)).isEqualTo(CONTAINER);
        }
    }

    @Test
    void fallsBackToContainerViewOnMalformedXForwardedValues() {
        TargetUriResolver resolver = trusting(PROXY);
        for (Function<String, List<String>> bad : List.of(
                headers("X-Forwarded-Host", "api.example.com/evil"),
                headers("X-Forwarded-Host", "api.example.com", "X-Forwarded-Port", "99999"),
                headers("X-Forwarded-Host", "api.example.com", "X-Forwarded-Prefix", "/a/../b"),
                headers("X-Forwarded-Host", "api example.com"))) {
            assertThat(resolver.resolve(CONTAINER, PATH, PROXY, bad)).isEqualTo(CONTAINER);
        }
    }

    @Test
    void baseUriReplacesSchemeHostAndPort() {
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(
                Map.of(DPoPSettings.HTU_BASE_URI, "https://api.example.com")));
        assertThat(resolver.resolve(CONTAINER + "?q=1", PATH, CLIENT, headers()))
                .isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void baseUriWithPathPrefixAndTrailingSlashPrefixesRequestPath() {
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(
                Map.of(DPoPSettings.HTU_BASE_URI, "https://example.com/prefix/")));
        assertThat(resolver.resolve(CONTAINER, PATH, CLIENT, headers()))
                .isEqualTo("https://example.com/prefix/shop/api/orders");
    }

    @Test
    void baseUriWinsOverForwardedHeadersFromTrustedProxy() {
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(Map.of(
                DPoPSettings.HTU_BASE_URI, "https://api.example.com",
                DPoPSettings.HTU_TRUSTED_PROXIES, PROXY)));
        assertThat(resolver.resolve(CONTAINER, PATH, PROXY, headers("X-Forwarded-Host", "other.example")))
                .isEqualTo("https://api.example.com/shop/api/orders");
    }

    @Test
    void refusesBaseUriWithQueryOrNonHttpSchemeNamingKey() {
        for (String bad : List.of("https://api.example.com/?x=1", "ftp://api.example.com", "/relative", "https://user@api.example.com")) {
            assertThatThrownBy(() -> TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_BASE_URI, bad))))
                    .as(bad)
                    .isInstanceOfSatisfying(DPoPConfigurationException.class,
                            e -> assertThat(e.key()).isEqualTo(DPoPSettings.HTU_BASE_URI));
        }
    }

    @Test
    void keepsRawPercentEncodedPath() {
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(
                Map.of(DPoPSettings.HTU_BASE_URI, "https://api.example.com")));
        assertThat(resolver.resolve("http://x/a%20b", "/a%20b", null, headers())).isEqualTo("https://api.example.com/a%20b");
    }
}
