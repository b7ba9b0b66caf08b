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
import java.util.List;
import java.util.Map;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.StrictJson;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.modes.app.EchoServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Several DPoPFilter instances in one WAR, each with its own validator init-params (so each builds its
 * own validator), and no application-wide settings but RFC 9728 metadata ({@code dpop.metadata.*}
 * context params: the metadata servlet registers itself, every filter's challenges name it):
 * <ul>
 * <li>{@code /mixed/*}: {@code dpop.mode=dpop-or-bearer}, opaque tokens by RFC 7662 introspection;</li>
 * <li>{@code /both/*}: JWTs of the issuer checked against its JWKS and other tokens introspected, side by side;</li>
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
    /** The RFC 9728 resource identifier: this WAR at its context path. */
    static final String RESOURCE = "http://127.0.0.1:" + Integer.getInteger("it.http.port") + "/modes";
    /**
     * Where the WAR publishes its metadata itself: under its context path, the path-suffixed form being
     * what a proxy forwarding the host's {@code /.well-known/oauth-protected-resource/*} would ask for.
     */
    static final String METADATA_URL = "http://127.0.0.1:" + Integer.getInteger("it.http.port")
            + "/modes/.well-known/oauth-protected-resource/modes";

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

        Map<String, String> both = new LinkedHashMap<>(jwt);
        both.put("dpop.token.introspection-uri", issuer + "/introspect");
        both.put("dpop.token.introspection-client-id", LoopbackIssuer.CLIENT_ID);
        both.put("dpop.token.introspection-client-secret", LoopbackIssuer.CLIENT_SECRET);
        both.put("dpop.replay.cache", "dpop-replay-both");

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
                + Deployments.contextParam("dpop.metadata.resource", RESOURCE)
                + Deployments.contextParam("dpop.metadata.uri", METADATA_URL)
                + Deployments.contextParam("dpop.metadata.authorization-servers", issuer)
                + Deployments.contextParam("dpop.metadata.scopes", "read,write")
                + Deployments.contextParam("dpop.metadata.resource-name", "dpopj modes")
                + Deployments.dpopFilter("nonce", "/nonce/*", nonce)
                + Deployments.dpopFilter("mixed", "/mixed/*", mixed)
                + Deployments.dpopFilter("both", "/both/*", both)
                + Deployments.dpopFilter("proxy-base", "/proxy/base/*", proxyBase)
                + Deployments.dpopFilter("proxy-trusted", "/proxy/trusted/*", trusted)
                + Deployments.dpopFilter("proxy-untrusted", "/proxy/untrusted/*", untrusted)
                + Deployments.dpopFilter("proxy-rfc7239", "/proxy/rfc7239/*", rfc7239)
                + "</web-app>\n";
        return Deployments.war("modes")
                .addPackage(EchoServlet.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsLibraries(Deployments.allLibraries());
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
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).isEqualTo("Bearer resource_metadata=\"" + METADATA_URL + "\""));
        assertThat(challenges(response)).anySatisfy(c -> assertThat(c).startsWith("DPoP algs="));
    }

    // ---- JWT and introspection side by side -------------------------------------------------------

    @Test
    void oneEndpointAcceptsAJwtWithoutIntrospectionAndAnOpaqueTokenByIntrospection() {
        DPoPKey key = DPoPKey.es256();
        String jwt = issuer().accessToken().subject("jwt-user").boundTo(key.thumbprint()).jwt();
        String opaque = issuer().accessToken().subject("opaque-user").boundTo(key.thumbprint()).opaque();
        int before = issuer().hits("/introspect");

        HttpResponse<String> byJwt = getWithDPoP(key, uri("both/x"), jwt);
        assertThat(issuer().hits("/introspect")).isEqualTo(before);
        HttpResponse<String> byIntrospection = getWithDPoP(key, uri("both/x"), opaque);

        assertThat(byJwt.statusCode()).as(byJwt.body()).isEqualTo(200);
        assertThat(byJwt.body()).contains("principal=jwt-user");
        assertThat(byIntrospection.statusCode()).as(byIntrospection.body()).isEqualTo(200);
        assertThat(byIntrospection.body()).contains("principal=opaque-user");
        assertThat(issuer().hits("/introspect")).isEqualTo(before + 1);
    }

    @Test
    void jwtOfTheIssuerWithAForeignSignatureIsRefusedWithoutAskingTheIntrospectionEndpoint() {
        DPoPKey key = DPoPKey.es256();
        String genuine = issuer().accessToken().subject("alice").boundTo(key.thumbprint()).jwt();
        String other = issuer().accessToken().subject("mallory").boundTo(key.thumbprint()).jwt();
        String forged = genuine.substring(0, genuine.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
        int before = issuer().hits("/introspect");

        assertRefused(getWithDPoP(key, uri("both/x"), forged), 401, "invalid_token");
        assertThat(issuer().hits("/introspect")).isEqualTo(before);
    }

    // ---- RFC 9728 protected resource metadata ----------------------------------------------------

    @Test
    void challengeLeadsToTheResourceMetadataAndOnToTheAuthorizationServersMetadata() throws Exception {
        HttpResponse<String> refused = send("GET", uri("proxy/base/x"));
        assertThat(refused.statusCode()).isEqualTo(401);
        String url = parameter(DPoPCalls.dpopChallenge(refused), "resource_metadata");
        assertThat(url).isEqualTo(METADATA_URL);

        HttpResponse<String> metadata = send("GET", URI.create(url));
        assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> document = StrictJson.parseObject(metadata.body(), JsonLimits.DOCUMENT);
        // RFC 9728 §3.3: the resource is the identifier the request URL lies under
        assertThat(document.get("resource")).isEqualTo(RESOURCE);
        assertThat(document.get("authorization_servers")).isEqualTo(List.of(issuer().issuer()));
        assertThat(document.get("scopes_supported")).isEqualTo(List.of("read", "write"));
        assertThat(document.get("bearer_methods_supported")).isEqualTo(List.of("header"));
        assertThat(strings(document.get("dpop_signing_alg_values_supported"))).contains("ES256", "EdDSA");
        assertThat(document.get("dpop_bound_access_tokens_required")).isEqualTo(Boolean.TRUE);

        String authorizationServer = (String) ((List<?>) document.get("authorization_servers")).get(0);
        HttpResponse<String> asMetadata = send("GET", URI.create(authorizationServer + "/.well-known/oauth-authorization-server"));
        assertThat(asMetadata.statusCode()).isEqualTo(200);
        // RFC 8414 §3.3: the issuer of the document is the one it was found under
        assertThat(StrictJson.parseObject(asMetadata.body(), JsonLimits.DOCUMENT)).containsEntry("issuer", authorizationServer);
    }

    @Test
    void everyFiltersChallengesNameTheMetadata() {
        HttpResponse<String> mixed = send("GET", uri("mixed/x"));
        HttpResponse<String> refusedToken = getWithDPoP(DPoPKey.es256(), uri("nonce/x"), "not-a-token");

        assertThat(challenges(mixed)).hasSize(2).allSatisfy(c -> assertThat(c).endsWith("resource_metadata=\"" + METADATA_URL + "\""));
        assertThat(challenges(refusedToken)).singleElement().satisfies(c -> assertThat(c).startsWith("DPoP error=")
                .endsWith("resource_metadata=\"" + METADATA_URL + "\""));
    }

    @Test
    void metadataIsAlsoAtThePlainWellKnownPathAndNotAtAnotherSuffix() throws Exception {
        HttpResponse<String> plain = send("GET", uri(".well-known/oauth-protected-resource"));
        HttpResponse<String> other = send("GET", uri(".well-known/oauth-protected-resource/elsewhere"));

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(StrictJson.parseObject(plain.body(), JsonLimits.DOCUMENT)).containsEntry("resource", RESOURCE);
        assertThat(other.statusCode()).isEqualTo(404);
    }

    private static List<String> strings(Object jsonArray) {
        assertThat(jsonArray).isInstanceOf(List.class);
        return ((List<?>) jsonArray).stream().map(String.class::cast).toList();
    }

    private static String parameter(String challenge, String name) {
        int start = challenge.indexOf(name + "=\"");
        assertThat(start).as("%s in %s", name, challenge).isNotNegative();
        int from = start + name.length() + 2;
        return challenge.substring(from, challenge.indexOf('"', from));
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
