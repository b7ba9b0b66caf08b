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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.rs.app.RsApplication;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One application in dpop-only mode with JWT access tokens checked against the loopback issuer's JWKS.
 * The scenarios every adapter must pass (admission, CDI injection of the binding, replay, parallel
 * copies, form bodies, htm/htu, HEAD, query strings, token binding, the malformed-request battery) run
 * once per {@link Adapter}: through the web.xml servlet filter and through {@code @DPoPRequired}. Then
 * what is particular to each: the filter's {@code dpop.scopes}, annotations on classes and methods with
 * and without scopes, both filters on one path, and audit events.
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
        return Deployments.war("rs")
                .addPackage(RsApplication.class.getPackage())
                .addAsWebInfResource(ResourceServerIT.class.getPackage(), "web.xml", "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.proof.max-size=" + MAX_PROOF_SIZE), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    private static LoopbackIssuer issuer() {
        return LoopbackIssuerExtension.issuer();
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    /** A GET of the adapter's endpoint with a fresh token and proof; sending it twice replays the proof. */
    private HttpRequest signedGet(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri(adapter.path);
        return TestHttp.request(uri).GET().header("Authorization", "DPoP " + token)
                .header("DPoP", proof(key, "GET", uri, token)).build();
    }

    /** POSTs a form to the adapter's form endpoint with a fresh token and proof; {@code body} is given the token. */
    private HttpResponse<String> postSignedForm(Adapter adapter, Function<String, String> body) {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        URI uri = uri(adapter.formPath);
        return postForm(uri, body.apply(token), "Authorization", "DPoP " + token, "DPoP", proof(key, "POST", uri, token));
    }

    private static String token(DPoPKey key, String scope) {
        return issuer().accessToken().boundTo(key.thumbprint()).scope(scope).jwt();
    }

    // ---- every adapter ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void admitsAValidProofAndTheEndpointGetsTheInjectedBindingAndThePrincipal(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();
        URI uri = uri(adapter.path);

        HttpResponse<String> response = getWithDPoP(key, uri, token(key, "read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("where=" + adapter.where + " ", "jkt=" + key.thumbprint(), "htm=GET",
                "htu=" + htu(uri), "sub=alice", "principal=alice", "auth=DPoP");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void refusesARequestWithoutCredentialsWithABareDPoPChallenge(Adapter adapter) {
        assertRefused(send("GET", uri(adapter.path)), 401, null);
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsAReplayedProof(Adapter adapter) {
        HttpRequest request = signedGet(adapter);

        HttpResponse<String> first = TestHttp.send(request);
        HttpResponse<String> second = TestHttp.send(request);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRefused(second, 401, "invalid_dpop_proof");
        assertThat(DPoPCalls.dpopChallenge(second)).contains("already used");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void admitsExactlyOneOfTwentyParallelCopiesOfAProof(Adapter adapter) throws Exception {
        List<HttpResponse<String>> responses = DPoPCalls.sendTogether(signedGet(adapter), 20);

        assertThat(responses).filteredOn(response -> response.statusCode() / 100 == 2).hasSize(1);
        List<HttpResponse<String>> refused = responses.stream().filter(response -> response.statusCode() / 100 != 2).toList();
        assertThat(refused).hasSize(19);
        refused.forEach(response -> assertRefused(response, 401, "invalid_dpop_proof"));
    }

    /** RFC 6750 §2.2: a token may travel in one place only. */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsATokenAlsoSentInAFormBody(Adapter adapter) {
        HttpResponse<String> response = postSignedForm(adapter, token -> "item=tea&access_token=" + token);

        assertRefused(response, 400, "invalid_request");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void leavesTheFormBodyReadableForTheEndpointAfterTheFilter(Adapter adapter) {
        HttpResponse<String> response = postSignedForm(adapter, token -> "item=tea");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("item=tea");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsAProofForAnotherUrl(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "read");
        String proof = proof(key, "GET", uri(adapter.path + "/elsewhere"), token);

        assertRefused(send("GET", uri(adapter.path), "Authorization", "DPoP " + token, "DPoP", proof),
                401, "invalid_dpop_proof");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsAProofForAnotherMethod(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();

        assertRefused(sendWithDPoP("GET", uri(adapter.path), key, token(key, "read"), "POST"), 401, "invalid_dpop_proof");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void admitsAHeadRequestWithAHeadProof(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = sendWithDPoP("HEAD", uri(adapter.path), key, token(key, "read"), "HEAD");

        assertThat(response.statusCode()).as("%s", response.headers().allValues("WWW-Authenticate")).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Jkt")).hasValue(key.thumbprint());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsAHeadRequestWithAGetProof(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();

        assertRefused(sendWithDPoP("HEAD", uri(adapter.path), key, token(key, "read"), "GET"), 401, "invalid_dpop_proof");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void leavesTheQueryStringOutOfHtu(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();
        URI uri = uri(adapter.path + "?page=2&sort=a%20b");

        HttpResponse<String> response = sendWithDPoP("GET", uri, key, token(key, "read"), "GET");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("query=page=2&sort=a%20b", "htu=" + htu(uri));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsADPoPBoundTokenSentAsBearer(Adapter adapter) {
        String token = token(DPoPKey.es256(), "read");

        assertRefused(send("GET", uri(adapter.path), "Authorization", "Bearer " + token), 401, "invalid_token");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void rejectsATokenBoundToAnotherKey(Adapter adapter) {
        DPoPKey key = DPoPKey.es256();

        assertRefused(getWithDPoP(key, uri(adapter.path), token(DPoPKey.es256(), "read")), 401, "invalid_token");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void refusesEveryMalformedRequestWith400Or401AndTheRightChallenge(Adapter adapter) {
        URI uri = uri(adapter.path);
        List<MalformedRequests.Case> cases = MalformedRequests.cases(issuer(), uri, MAX_PROOF_SIZE);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        SoftAssertions softly = new SoftAssertions();
        for (MalformedRequests.Case c : cases) {
            HttpResponse<String> response = c.call().apply(uri);
            softly.assertThatCode(() -> assertRefused(response, c.status(), c.error()))
                    .as("%s on %s: %s %s %s", c.name(), adapter.path, response.statusCode(), DPoPCalls.challenges(response),
                            response.body())
                    .doesNotThrowAnyException();
            softly.assertThatCode(() -> assertNoStackTrace(response)).as(c.name()).doesNotThrowAnyException();
        }
        softly.assertAll();
    }

    // ---- servlet filter (web.xml) -------------------------------------------------------------

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
    void classLevelDPoPRequiredProtectsEveryMethodOfTheClass() {
        assertRefused(send("GET", uri("api/class/other")), 401, null);
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
}
