package org.dpopj.it.rs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertNoStackTrace;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.htu;
import static org.dpopj.it.client.DPoPCalls.postForm;
import static org.dpopj.it.client.DPoPCalls.proof;
import static org.dpopj.it.client.DPoPCalls.send;
import static org.dpopj.it.client.DPoPCalls.sendWithDPoP;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuer;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.client.RawProofs;
import org.dpopj.it.rs.app.RsApplication;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * One application in dpop-only mode with JWT access tokens checked against the loopback issuer's JWKS:
 * the web.xml servlet filter, {@code @DPoPRequired} on classes and methods with and without scopes,
 * CDI injection of the binding, both filters on one path, replay, parallel copies, htm/htu, HEAD,
 * query strings, audit events, and the malformed-request battery on both adapters.
 *
 * <p>The application-wide validator comes from dpop-cdi, configured through
 * {@code META-INF/microprofile-config.properties}; the servlet filter has no init-params and shares it.
 */
@ServerTest
class ResourceServerIT {

    /** Below the servers' own header limits (Grizzly: 8 KiB), so the oversized case reaches the library. */
    private static final int MAX_PROOF_SIZE = 4096;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        String config = String.join("\n",
                "dpop.token.issuer=" + issuer,
                "dpop.token.jwks-uri=" + issuer + "/jwks",
                "dpop.token.audience=" + LoopbackIssuer.AUDIENCE,
                "dpop.proof.max-size=" + MAX_PROOF_SIZE,
                "");
        return Deployments.war("rs")
                .addPackage(RsApplication.class.getPackage())
                .addAsWebInfResource(ResourceServerIT.class.getPackage(), "web.xml", "web.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    private static LoopbackIssuer issuer() {
        return LoopbackIssuerExtension.issuer();
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    private static String token(DPoPKey key, String scope) {
        return issuer().accessToken().boundTo(key).scope(scope).jwt();
    }

    // ---- servlet filter (web.xml) -------------------------------------------------------------

    @Test
    void servletFilterAdmitsAValidProofAndTheServletGetsTheInjectedBinding() {
        DPoPKey key = DPoPKey.es256();
        URI uri = uri("servlet/binding");

        HttpResponse<String> response = getWithDPoP(key, uri, token(key, "read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("where=servlet", "jkt=" + key.thumbprint(), "htm=GET", "htu=" + htu(uri),
                "sub=alice", "principal=alice", "auth=DPoP");
    }

    @Test
    void servletFilterWithoutCredentialsAnswers401WithABareDPoPChallenge() {
        HttpResponse<String> response = send("GET", uri("servlet/binding"));

        assertRefused(response, 401, null);
    }

    @Test
    void servletFilterScopesInitParamRefusesATokenWithoutTheScope() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("servlet-admin/binding"), token(key, "read"));

        assertRefused(response, 403, "insufficient_scope");
    }

    @Test
    void servletFilterScopesInitParamAdmitsATokenWithTheScope() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("servlet-admin/binding"), token(key, "read admin"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---- Jakarta REST ----------------------------------------------------------------------------

    @Test
    void classLevelDPoPRequiredRefusesARequestWithoutCredentials() {
        assertRefused(send("GET", uri("api/class/other")), 401, null);
    }

    @Test
    void classLevelDPoPRequiredAdmitsAValidProofAndTheResourceGetsTheInjectedBinding() {
        DPoPKey key = DPoPKey.es256();
        URI uri = uri("api/class");

        HttpResponse<String> response = getWithDPoP(key, uri, token(key, "read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("where=jaxrs-class", "jkt=" + key.thumbprint(), "htu=" + htu(uri),
                "principal=alice", "scheme=DPoP");
    }

    @Test
    void methodLevelDPoPRequiredLeavesTheOtherMethodsOpen() {
        HttpResponse<String> response = send("GET", uri("api/method/open"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("open bound=false");
    }

    @Test
    void methodLevelDPoPRequiredProtectsItsMethod() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(send("GET", uri("api/method/protected")), 401, null);
        HttpResponse<String> admitted = getWithDPoP(key, uri("api/method/protected"), token(key, "read"));
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(admitted.body()).contains("where=jaxrs-method", "jkt=" + key.thumbprint());
    }

    @Test
    void methodScopeMissingFromTheTokenIsRefusedWith403InsufficientScope() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(getWithDPoP(key, uri("api/method/write"), token(key, "read")), 403, "insufficient_scope");
    }

    @Test
    void methodScopePresentInTheTokenIsAdmitted() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/method/write"), token(key, "read write"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("scopes=read,write");
    }

    @Test
    void classScopesMustAllBePresent() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(getWithDPoP(key, uri("api/scoped-class"), token(key, "read")), 403, "insufficient_scope");
        HttpResponse<String> admitted = getWithDPoP(key, uri("api/scoped-class"), token(key, "read orders"));
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
    }

    @Test
    void methodAnnotationReplacesTheClassScopes() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/scoped-class/relaxed"), token(key, "other"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---- both filters on one path ------------------------------------------------------------

    @Test
    void servletAndJaxRsFiltersOnOnePathValidateOnceAndSpendTheJtiOnce() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/shared");
        String proof = proof(key, "GET", uri, token);
        int before = auditCount();

        HttpResponse<String> first = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);
        List<String> events = auditSince(before);
        HttpResponse<String> replay = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("where=jaxrs-shared", "jkt=" + key.thumbprint());
        assertThat(events).as("audit events of the first request").hasSize(1);
        assertThat(events.get(0)).contains("accepted=true", "jkt=" + key.thumbprint());
        assertRefused(replay, 401, "invalid_dpop_proof");
    }

    @Test
    void sharedPathStillChecksTheJaxRsScopesAfterTheServletFilter() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(getWithDPoP(key, uri("api/shared"), token(key, "other")), 403, "insufficient_scope");
    }

    // ---- replay ---------------------------------------------------------------------------------

    @Test
    void replayedProofIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding");
        String proof = proof(key, "GET", uri, token);

        HttpResponse<String> first = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> second = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRefused(second, 401, "invalid_dpop_proof");
        assertThat(DPoPCalls.dpopChallenge(second)).contains("already used");
    }

    @Test
    void exactlyOneOfTwentyParallelCopiesIsAccepted() throws Exception {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/class");
        String proof = proof(key, "GET", uri, token);
        HttpRequest request = TestHttp.request(uri).GET()
                .header("Authorization", "DPoP " + token).header("DPoP", proof).build();
        // 20 sending threads, released together; the client keeps its own executor (sharing one deadlocks)
        ExecutorService executor = Executors.newFixedThreadPool(20);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }

            assertThat(responses).filteredOn(response -> response.statusCode() / 100 == 2).hasSize(1);
            List<HttpResponse<String>> refused = responses.stream().filter(response -> response.statusCode() / 100 != 2).toList();
            assertThat(refused).hasSize(19);
            refused.forEach(response -> assertRefused(response, 401, "invalid_dpop_proof"));
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- tokens in a form body (RFC 6750 §2.2) ------------------------------------------------------

    @Test
    void tokenAlsoSentInAFormBodyIsRejectedByTheServletFilter() {
        assertFormBodyTokenRejected("servlet/binding");
    }

    @Test
    void tokenAlsoSentInAFormBodyIsRejectedByTheJaxRsFilter() {
        assertFormBodyTokenRejected("api/method/form");
    }

    private void assertFormBodyTokenRejected(String path) {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri(path);

        HttpResponse<String> response = postForm(uri, "item=tea&access_token=" + token,
                "Authorization", "DPoP " + token, "DPoP", proof(key, "POST", uri, token));

        assertRefused(response, 400, "invalid_request");
    }

    @Test
    void formBodyStaysReadableForTheResourceAfterTheFilter() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/method/form");

        HttpResponse<String> response = postForm(uri, "item=tea", "Authorization", "DPoP " + token,
                "DPoP", proof(key, "POST", uri, token));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("item=tea");
    }

    // ---- htm, htu, HEAD, query -------------------------------------------------------------------

    @Test
    void proofForAnotherUrlIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        String proof = proof(key, "GET", uri("servlet/elsewhere"), token);

        assertRefused(send("GET", uri("servlet/binding"), "Authorization", "DPoP " + token, "DPoP", proof),
                401, "invalid_dpop_proof");
    }

    @Test
    void proofForAnotherMethodIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding");

        assertRefused(sendWithDPoP("GET", uri, key, token, "POST"),
                401, "invalid_dpop_proof");
    }

    @Test
    void headRequestIsAdmittedWithAHeadProof() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding");

        HttpResponse<String> response = sendWithDPoP("HEAD", uri, key, token, "HEAD");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Jkt")).hasValue(key.thumbprint());
    }

    @Test
    void headRequestWithAGetProofIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding");

        HttpResponse<String> response = sendWithDPoP("HEAD", uri, key, token, "GET");

        assertRefused(response, 401, "invalid_dpop_proof");
    }

    @Test
    void headRequestToAJaxRsResourceIsAdmittedWithAHeadProof() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/class");

        HttpResponse<String> head = sendWithDPoP("HEAD", uri, key, token, "HEAD");

        assertThat(head.statusCode()).as("%s", head.headers().allValues("WWW-Authenticate")).isEqualTo(200);
    }

    @Test
    void headRequestToAJaxRsResourceWithAGetProofIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/class");

        HttpResponse<String> response = sendWithDPoP("HEAD", uri, key, token, "GET");

        assertRefused(response, 401, "invalid_dpop_proof");
    }

    @Test
    void queryStringIsNotPartOfHtu() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding?page=2&sort=a%20b");

        HttpResponse<String> response = sendWithDPoP("GET", uri, key, token, "GET");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("query=page=2&sort=a%20b", "htu=" + htu(uri));
    }

    @Test
    void queryStringIsNotPartOfHtuOnAJaxRsResource() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("api/class?page=2");

        HttpResponse<String> response = sendWithDPoP("GET", uri, key, token, "GET");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---- tokens ----------------------------------------------------------------------------------

    @Test
    void dpopBoundTokenSentAsBearerIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");

        assertRefused(send("GET", uri("servlet/binding"), "Authorization", "Bearer " + token), 401, "invalid_token");
    }

    @Test
    void tokenBoundToAnotherKeyIsRejected() {
        DPoPKey key = DPoPKey.es256();
        String token = token(DPoPKey.es256(), "read");

        assertRefused(getWithDPoP(key, uri("api/class"), token), 401, "invalid_token");
    }

    // ---- audit events ----------------------------------------------------------------------------

    @Test
    void auditObserverSeesAnAcceptedRequestWithThumbprintTokenHashAndRemoteAddress() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        int before = auditCount();

        HttpResponse<String> response = getWithDPoP(key, uri("api/class"), token);
        List<String> events = auditSince(before);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).contains("accepted=true", "scheme=DPoP", "failed=-", "jkt=" + key.thumbprint(),
                "token=" + DPoPKey.ath(token).substring(0, 8), "client=dpopj-client", "checks=AUTHORIZATION,");
        assertThat(events.get(0)).containsPattern("remote=(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1|::1)\\b").doesNotContain(token);
    }

    @Test
    void auditObserverSeesARejectedRequestNamingTheFailedCheck() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri("servlet/binding");
        int before = auditCount();

        sendWithDPoP("GET", uri, key, token, "PUT");
        List<String> events = auditSince(before);

        assertThat(events).hasSize(1);
        assertThat(events.get(0)).contains("accepted=false", "failed=HTM", "error=INVALID_DPOP_PROOF",
                "jkt=" + key.thumbprint(), "token=" + DPoPKey.ath(token).substring(0, 8), "remote=");
        assertThat(events.get(0)).doesNotContain("remote=-");
    }

    private int auditCount() {
        HttpResponse<String> response = TestHttp.get(uri("api/audit/count"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Integer.parseInt(response.body().trim());
    }

    private List<String> auditSince(int from) {
        HttpResponse<String> response = TestHttp.get(uri("api/audit?from=" + from));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().isBlank() ? List.of() : Arrays.asList(response.body().split("\n"));
    }

    // ---- the malformed battery -------------------------------------------------------------------

    @Test
    void everyMalformedRequestToTheServletFilterGets400Or401WithTheRightChallenge() {
        runBattery("servlet/binding");
    }

    @Test
    void everyMalformedRequestToTheJaxRsFilterGets400Or401WithTheRightChallenge() {
        runBattery("api/class");
    }

    /** A malformed request: name, what to send, the status and error code expected ({@code null}: a bare challenge). */
    private record Case(String name, Function<URI, HttpResponse<String>> call, int status, String error) {
    }

    private void runBattery(String path) {
        URI uri = uri(path);
        String u = htu(uri);
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        String auth = "DPoP " + token;
        String good = key.proof().htm("GET").htu(u).accessToken(token).sign();
        String[] parts = good.split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
        List<Case> cases = List.of(
                new Case("DPoP token without a DPoP header", x -> send("GET", x, "Authorization", auth), 400, "invalid_request"),
                new Case("two DPoP headers", x -> send("GET", x, "Authorization", auth, "DPoP", proof(key, "GET", x, token), "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("comma-joined proofs", x -> send("GET", x, "Authorization", auth, "DPoP", proof(key, "GET", x, token) + "," + proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("empty DPoP header", x -> send("GET", x, "Authorization", auth, "DPoP", ""), 401, "invalid_dpop_proof"),
                new Case("oversized proof", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("pad", "x".repeat(MAX_PROOF_SIZE)).sign()), 401, "invalid_dpop_proof"),
                new Case("two-part JWT", x -> send("GET", x, "Authorization", auth, "DPoP", parts[0] + "." + parts[1]), 401, "invalid_dpop_proof"),
                new Case("five parts like a JWE", x -> send("GET", x, "Authorization", auth, "DPoP", parts[0] + ".AAAA.BBBB." + parts[1] + "." + parts[2]), 401, "invalid_dpop_proof"),
                new Case("not base64url", x -> send("GET", x, "Authorization", auth, "DPoP", "e30!.*&^.%%%"), 401, "invalid_dpop_proof"),
                new Case("header not JSON", x -> send("GET", x, "Authorization", auth, "DPoP", "bm90IGpzb24." + parts[1] + "." + parts[2]), 401, "invalid_dpop_proof"),
                new Case("alg none", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.algNone(key, "GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("alg HS256", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.hs256(key, "GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("typ missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).header("typ", null).sign()), 401, "invalid_dpop_proof"),
                new Case("typ JWT", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).header("typ", "JWT").sign()), 401, "invalid_dpop_proof"),
                new Case("jwk missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutJwk().sign()), 401, "invalid_dpop_proof"),
                new Case("jwk with private key", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.privateJwk("GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("jti missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutClaim("jti").sign()), 401, "invalid_dpop_proof"),
                new Case("jti a number", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("jti", 42).sign()), 401, "invalid_dpop_proof"),
                new Case("htm missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htu(u).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("htu missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("iat missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutClaim("iat").sign()), 401, "invalid_dpop_proof"),
                new Case("iat a string", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("iat", "yesterday").sign()), 401, "invalid_dpop_proof"),
                new Case("ath missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).sign()), 401, "invalid_dpop_proof"),
                new Case("bad signature", x -> send("GET", x, "Authorization", auth, "DPoP", badSignature), 401, "invalid_dpop_proof"),
                new Case("wrong htm", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("DELETE").htu(u).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("wrong htu", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u + "/other").accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("htu of another host", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u.replaceFirst("//[^/]+/", "//evil.example/")).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("iat too old", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).iat(Instant.now().minusSeconds(600)).sign()), 401, "invalid_dpop_proof"),
                new Case("iat in the future", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).iat(Instant.now().plusSeconds(600)).sign()), 401, "invalid_dpop_proof"),
                new Case("wrong ath", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token + "x").sign()), 401, "invalid_dpop_proof"),
                new Case("token bound to another key", x -> { String other = token(DPoPKey.es256(), "read"); return send("GET", x, "Authorization", "DPoP " + other, "DPoP", proof(key, "GET", x, other)); }, 401, "invalid_token"),
                new Case("unbound token with the DPoP scheme", x -> { String unbound = issuer().accessToken().jwt(); return send("GET", x, "Authorization", "DPoP " + unbound, "DPoP", proof(key, "GET", x, unbound)); }, 401, "invalid_token"),
                new Case("expired token", x -> { String expired = issuer().accessToken().boundTo(key).lifetime(Duration.ofMinutes(-5)).jwt(); return send("GET", x, "Authorization", "DPoP " + expired, "DPoP", proof(key, "GET", x, expired)); }, 401, "invalid_token"),
                new Case("token with another audience", x -> { String other = issuer().accessToken().boundTo(key).audience("https://elsewhere.test").jwt(); return send("GET", x, "Authorization", "DPoP " + other, "DPoP", proof(key, "GET", x, other)); }, 401, "invalid_token"),
                new Case("token signature tampered", x -> { String t = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"); return send("GET", x, "Authorization", "DPoP " + t, "DPoP", proof(key, "GET", x, t)); }, 401, "invalid_token"),
                new Case("two Authorization headers", x -> send("GET", x, "Authorization", auth, "Authorization", auth, "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("'DPoP a b' credentials", x -> send("GET", x, "Authorization", "DPoP a b", "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("'DPoP' without credentials", x -> send("GET", x, "Authorization", "DPoP", "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("token in the query string", x -> { URI withQuery = URI.create(x + "?access_token=" + token); return send("GET", withQuery, "DPoP", proof(key, "GET", withQuery, token)); }, 400, "invalid_request"),
                new Case("token in the query string and the header", x -> { URI withQuery = URI.create(x + "?access_token=" + token); return send("GET", withQuery, "Authorization", auth, "DPoP", proof(key, "GET", withQuery, token)); }, 400, "invalid_request"),
                new Case("Basic scheme", x -> send("GET", x, "Authorization", "Basic dXNlcjpwYXNz"), 401, null));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            HttpResponse<String> response = c.call().apply(uri);
            softly.assertThatCode(() -> assertRefused(response, c.status(), c.error()))
                    .as("%s on %s: %s %s %s", c.name(), path, response.statusCode(), DPoPCalls.challenges(response), response.body())
                    .doesNotThrowAnyException();
            softly.assertThatCode(() -> assertNoStackTrace(response)).as(c.name()).doesNotThrowAnyException();
        }
        softly.assertAll();
    }
}
