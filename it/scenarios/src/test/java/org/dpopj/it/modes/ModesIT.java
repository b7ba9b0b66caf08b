package org.dpopj.it.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.challenges;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.htu;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.modes.app.EchoServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Several DPoPFilter instances in one WAR, each with its own validator init-params (so each builds its
 * own validator), and no application-wide settings:
 * <ul>
 * <li>{@code /mixed/*}: {@code dpop.mode=dpop-or-bearer}, opaque tokens by RFC 7662 introspection;</li>
 * <li>{@code /nonce/*}: {@code dpop.nonce.mode=required}, a 2-second nonce step;</li>
 * <li>{@code /proxy/base/*}: {@code dpop.htu.base-uri}; {@code /proxy/trusted/*} and
 *     {@code /proxy/untrusted/*}: {@code dpop.htu.trusted-proxies} with and without the test client's address;
 *     {@code /proxy/rfc7239/*}: a trusted proxy that writes {@code Forwarded} ({@code dpop.htu.forwarded-headers}).</li>
 * </ul>
 */
@ServerTest
class ModesIT {

    static final String PUBLIC_BASE = "https://public.example.test/gateway";
    static final int NONCE_STEP_SECONDS = 2;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        Map<String, String> jwt = new LinkedHashMap<>();
        jwt.put("dpop.token.issuer", issuer);
        jwt.put("dpop.token.jwks-uri", issuer + "/jwks");
        jwt.put("dpop.token.audience", LoopbackIssuer.AUDIENCE);

        Map<String, String> mixed = new LinkedHashMap<>();
        mixed.put("dpop.mode", "dpop-or-bearer");
        mixed.put("dpop.token.introspection-uri", issuer + "/introspect");
        mixed.put("dpop.token.introspection-client-id", LoopbackIssuer.CLIENT_ID);
        mixed.put("dpop.token.introspection-client-secret", LoopbackIssuer.CLIENT_SECRET);
        mixed.put("dpop.replay.cache", "dpop-replay-mixed");

        Map<String, String> nonce = new LinkedHashMap<>(jwt);
        nonce.put("dpop.nonce.mode", "required");
        nonce.put("dpop.nonce.secret", "an-integration-test-nonce-secret-of-more-than-32-bytes");
        nonce.put("dpop.nonce.step", NONCE_STEP_SECONDS + "s");
        nonce.put("dpop.replay.cache", "dpop-replay-nonce");

        Map<String, String> proxyBase = new LinkedHashMap<>(jwt);
        proxyBase.put("dpop.htu.base-uri", PUBLIC_BASE);
        proxyBase.put("dpop.replay.cache", "dpop-replay-base");

        Map<String, String> trusted = new LinkedHashMap<>(jwt);
        trusted.put("dpop.htu.trusted-proxies", "127.0.0.1, ::1");
        trusted.put("dpop.replay.cache", "dpop-replay-trusted");

        Map<String, String> rfc7239 = new LinkedHashMap<>(trusted);
        rfc7239.put("dpop.htu.forwarded-headers", "forwarded");
        rfc7239.put("dpop.replay.cache", "dpop-replay-rfc7239");

        Map<String, String> untrusted = new LinkedHashMap<>(jwt);
        untrusted.put("dpop.htu.trusted-proxies", "10.0.0.0/8");
        untrusted.put("dpop.replay.cache", "dpop-replay-untrusted");

        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                """
                + filter("nonce", "/nonce/*", nonce)
                + filter("mixed", "/mixed/*", mixed)
                + filter("proxy-base", "/proxy/base/*", proxyBase)
                + filter("proxy-trusted", "/proxy/trusted/*", trusted)
                + filter("proxy-untrusted", "/proxy/untrusted/*", untrusted)
                + filter("proxy-rfc7239", "/proxy/rfc7239/*", rfc7239)
                + "</web-app>\n";
        return Deployments.war("modes")
                .addPackage(EchoServlet.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsLibraries(Deployments.allLibraries());
    }

    private static String filter(String name, String pattern, Map<String, String> params) {
        return "  <filter>\n    <filter-name>" + name + "</filter-name>\n    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>\n"
                + params.entrySet().stream()
                        .map(e -> "    <init-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue()
                                + "</param-value></init-param>\n")
                        .collect(Collectors.joining())
                + "  </filter>\n  <filter-mapping><filter-name>" + name + "</filter-name><url-pattern>" + pattern
                + "</url-pattern></filter-mapping>\n";
    }

    private static LoopbackIssuer issuer() {
        return LoopbackIssuerExtension.issuer();
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    // ---- mixed mode with introspection -----------------------------------------------------------

    @Test
    void plainBearerTokenIsAcceptedInMixedMode() {
        String token = issuer().accessToken().subject("bob").opaque();

        HttpResponse<String> response = send("GET", uri("mixed/x"), "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("principal=bob", "auth=Bearer", "jkt=-");
    }

    @Test
    void introspectedOpaqueDPoPTokenIsAcceptedWithAProof() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).opaque();
        int before = issuer().hits("/introspect");

        HttpResponse<String> response = getWithDPoP(key, uri("mixed/x"), token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("principal=alice", "auth=DPoP", "jkt=" + key.thumbprint());
        assertThat(issuer().hits("/introspect")).isEqualTo(before + 1);
    }

    @Test
    void dpopBoundTokenSentAsBearerIsRejectedInMixedMode() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).opaque();

        HttpResponse<String> response = send("GET", uri("mixed/x"), "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).startsWith("Bearer error=\"invalid_token\""));
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).startsWith("DPoP algs="));
    }

    @Test
    void revokedOpaqueTokenIsRejectedAsInvalidToken() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).opaque();
        issuer().revoke(token);

        assertRefused(getWithDPoP(key, uri("mixed/x"), token), 401, "invalid_token");
    }

    @Test
    void mixedModeWithoutCredentialsOffersBothSchemes() {
        HttpResponse<String> response = send("GET", uri("mixed/x"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).isEqualTo("Bearer"));
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).startsWith("DPoP algs="));
    }

    // ---- nonces ----------------------------------------------------------------------------------

    @Test
    void proofWithoutNonceIsChallengedWithUseDPoPNonce() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("nonce/x"), issuer().accessToken().boundTo(key.thumbprint()).jwt());

        assertRefused(response, 401, "use_dpop_nonce");
        assertThat(response.headers().firstValue("DPoP-Nonce")).isPresent();
    }

    @Test
    void oneRetryWithTheServerNonceIsAccepted() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("nonce/x");

        String nonce = getWithDPoP(key, uri, token).headers().firstValue("DPoP-Nonce").orElseThrow();
        HttpResponse<String> retry = send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", key.proof().htm("GET").htu(htu(uri)).accessToken(token).nonce(nonce).sign());

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.body()).contains("jkt=" + key.thumbprint());
    }

    @Test
    void foreignNonceIsChallengedWithAFreshOne() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("nonce/x");

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", key.proof().htm("GET").htu(htu(uri)).accessToken(token).nonce("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").sign());

        assertRefused(response, 401, "use_dpop_nonce");
        assertThat(response.headers().firstValue("DPoP-Nonce")).isPresent();
    }

    @Test
    void nonceOfThePreviousStepIsAcceptedAndRotated() throws InterruptedException {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("nonce/x");
        // take a nonce whose step is known: the step must not change while the server issues it
        // (server and client share the clock); otherwise the nonce may belong to the next step
        long issuedStep;
        String nonce;
        do {
            issuedStep = Instant.now().getEpochSecond() / NONCE_STEP_SECONDS;
            nonce = getWithDPoP(key, uri, token).headers().firstValue("DPoP-Nonce").orElseThrow();
        } while (Instant.now().getEpochSecond() / NONCE_STEP_SECONDS != issuedStep);
        // then wait until the step after it, where the nonce is still accepted but due for rotation
        while (Instant.now().getEpochSecond() / NONCE_STEP_SECONDS <= issuedStep) {
            Thread.sleep(100);
        }
        Thread.sleep(200);

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", key.proof().htm("GET").htu(htu(uri)).accessToken(token).nonce(nonce).sign());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("DPoP-Nonce")).isPresent().get().isNotEqualTo(nonce);
    }

    @Test
    void replayedProofWithAValidNonceIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("nonce/x");
        String nonce = getWithDPoP(key, uri, token).headers().firstValue("DPoP-Nonce").orElseThrow();
        String proof = key.proof().htm("GET").htu(htu(uri)).accessToken(token).nonce(nonce).sign();

        HttpResponse<String> first = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> second = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRefused(second, 401, "invalid_dpop_proof");
    }

    // ---- proxies ---------------------------------------------------------------------------------

    /** The public URL a client behind the proxy signs for {@code uri}. */
    private String publicHtu(String prefix, URI uri) {
        return prefix + uri.getRawPath();
    }

    @Test
    void publicBaseUriIsTheHtuBehindAProxy() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("proxy/base/orders");
        String htu = publicHtu(PUBLIC_BASE, uri);

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", key.proof().htm("GET").htu(htu).accessToken(token).sign());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("htu=" + htu);
    }

    @Test
    void withAPublicBaseUriTheContainerUrlIsRejected() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(getWithDPoP(key, uri("proxy/base/orders"), issuer().accessToken().boundTo(key.thumbprint()).jwt()),
                401, "invalid_dpop_proof");
    }

    @Test
    void withAPublicBaseUriForwardedHeadersAreIgnored() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("proxy/base/orders");

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "attacker.example",
                "DPoP", key.proof().htm("GET").htu("https://attacker.example" + uri.getRawPath()).accessToken(token).sign());

        assertRefused(response, 401, "invalid_dpop_proof");
    }

    @Test
    void forwardedHeadersFromATrustedProxyMakeTheHtu() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("proxy/trusted/orders");
        String htu = publicHtu("https://api.example.test", uri);

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.test",
                "DPoP", key.proof().htm("GET").htu(htu).accessToken(token).sign());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void rfc7239ForwardedHeaderFromATrustedProxyMakesTheHtu() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("proxy/rfc7239/orders");
        String htu = publicHtu("https://api.example.test:8443", uri);

        HttpResponse<String> response = send("GET", uri, "Authorization", "DPoP " + token,
                "Forwarded", "for=203.0.113.7;proto=https;host=\"api.example.test:8443\"",
                "DPoP", key.proof().htm("GET").htu(htu).accessToken(token).sign());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void containerViewIgnoresForwardedHeaders() {
        URI uri = uri("container-view/orders");

        HttpResponse<String> response = send("GET", uri, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.test");

        assertThat(response.body()).startsWith(htu(uri) + " ");
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressAreIgnored() {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("proxy/untrusted/orders");

        HttpResponse<String> spoofed = send("GET", uri, "Authorization", "DPoP " + token,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.test",
                "DPoP", key.proof().htm("GET").htu(publicHtu("https://api.example.test", uri)).accessToken(token).sign());
        HttpResponse<String> direct = send("GET", uri, "Authorization", "DPoP " + token,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.test",
                "DPoP", key.proof().htm("GET").htu(htu(uri)).accessToken(token).sign());

        assertRefused(spoofed, 401, "invalid_dpop_proof");
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    }
}
