package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DPoPAuthorizationCodeTest {

    private static final URI REDIRECT = URI.create("http://127.0.0.1:1/callback");

    private final HttpClient http = HttpClient.newHttpClient();
    private final DPoPProofSigner signer = DPoPProofSigner.generate();
    private final DPoPHttpClient dpop = DPoPHttpClient.create(http, signer);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private TestAuthorizationServer as;
    private AuthorizationServerMetadata metadata;

    @BeforeEach
    void start() throws Exception {
        as = new TestAuthorizationServer();
        metadata = DPoPDiscovery.create(http, signer).authorizationServer(as.issuer());
    }

    @AfterEach
    void stop() {
        as.close();
    }

    private DPoPAuthorizationCode flow() {
        return DPoPAuthorizationCode.builder(dpop, metadata, TestAuthorizationServer.CLIENT_ID, REDIRECT)
                .scope("tools").clock(clock).build();
    }

    @Test
    void authorizationRequestCarriesS256ChallengeOfTheVerifierAndTheSignersThumbprintAsDpopJkt() throws Exception {
        AuthorizationRequest request = flow().start();
        Map<String, String> query = TestAuthorizationServer.form(request.uri().getRawQuery());

        assertThat(query).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsEntry("dpop_jkt", signer.thumbprint()).containsEntry("client_id", TestAuthorizationServer.CLIENT_ID)
                .containsEntry("redirect_uri", REDIRECT.toString()).containsEntry("scope", "tools");
        assertThat(query.get("code_challenge")).isEqualTo(PublicJwks.base64url(PublicJwks.sha256(
                request.codeVerifier().getBytes(StandardCharsets.US_ASCII))));
        assertThat(request.codeVerifier()).hasSize(43);
        assertThat(request.toString()).doesNotContain(request.codeVerifier()).doesNotContain(request.state());
    }

    @Test
    void everyAuthorizationRequestHasItsOwnStateAndVerifier() {
        DPoPAuthorizationCode flow = flow();
        AuthorizationRequest one = flow.start();
        AuthorizationRequest two = flow.start();

        assertThat(one.state()).isNotEqualTo(two.state());
        assertThat(one.codeVerifier()).isNotEqualTo(two.codeVerifier());
    }

    @Test
    void followsTheRedirectItselfWhenTheServerNeedsNoLoginAndRedeemsTheCodeAfterTheNonceRetry() throws Exception {
        DPoPTokens tokens = flow().authorize(http);

        DPoPAccessToken token = tokens.token();
        assertThat(token.value()).startsWith(TestAuthorizationServer.ACCESS_TOKEN_PREFIX);
        assertThat(token.boundTo()).isEqualTo(signer.thumbprint());
        assertThat(tokens.refreshable()).isTrue();
        assertThat(as.proofKeys).containsExactly(signer.thumbprint());
        assertThat(dpop.authorizationServerNonce(metadata.tokenEndpoint())).contains("as-nonce-1");
    }

    @Test
    void refusesToFollowALoginPageAndSaysTheCallerMustSupplyTheCode() {
        as.answerWithLoginPage = true;

        assertThatThrownBy(() -> flow().authorize(http)).isInstanceOf(DPoPTokenException.class)
                .hasMessageContaining("log in").hasMessageContaining("complete(");
    }

    @Test
    void refusesACallbackWithAnotherState() throws Exception {
        DPoPAuthorizationCode flow = flow();
        AuthorizationRequest request = flow.start();

        assertThatThrownBy(() -> flow.complete(request, URI.create(REDIRECT + "?code=code-1&state=forged")))
                .isInstanceOf(DPoPTokenException.class).hasMessageContaining("state");
        assertThat(as.proofKeys).isEmpty();
    }

    @Test
    void refusesACallbackFromAnotherIssuer() throws Exception {
        DPoPAuthorizationCode flow = flow();
        AuthorizationRequest request = flow.start();
        URI callback = URI.create(REDIRECT + "?code=code-1&state=" + request.state() + "&iss=https%3A%2F%2Fevil.example");

        assertThatThrownBy(() -> flow.complete(request, callback))
                .isInstanceOf(DPoPTokenException.class).hasMessageContaining("RFC 9207");
    }

    @Test
    void reportsTheAuthorizationErrorOfTheCallback() {
        DPoPAuthorizationCode flow = flow();
        AuthorizationRequest request = flow.start();

        assertThatThrownBy(() -> flow.complete(request, URI.create(REDIRECT + "?error=access_denied&state=" + request.state())))
                .isInstanceOfSatisfying(DPoPTokenException.class, e -> assertThat(e.error()).contains("access_denied"));
    }

    @Test
    void aCodeRedeemedWithAnotherKeyThanDpopJktIsRefused() throws Exception {
        DPoPAuthorizationCode flow = flow();
        AuthorizationRequest request = flow.start();
        java.net.http.HttpResponse<Void> redirect = http.send(java.net.http.HttpRequest.newBuilder(request.uri()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        URI callback = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        DPoPHttpClient otherKey = DPoPHttpClient.create(http, DPoPProofSigner.generate());
        DPoPAuthorizationCode thief = DPoPAuthorizationCode.builder(otherKey, metadata, TestAuthorizationServer.CLIENT_ID, REDIRECT).build();

        assertThatThrownBy(() -> thief.complete(request, callback)).isInstanceOfSatisfying(DPoPTokenException.class,
                e -> assertThat(e.error()).contains("invalid_grant"));
    }

    @Test
    void refusesABearerTokenFromTheCodeExchange() {
        as.tokenType = "Bearer";

        assertThatThrownBy(() -> flow().authorize(http)).isInstanceOf(DPoPTokenException.class)
                .hasMessageContaining("token_type");
    }

    @Test
    void refreshesBeforeExpiryWithTheSameKeyAndKeepsTheRotatedRefreshToken() throws Exception {
        as.expiresIn = 120;
        DPoPTokens tokens = flow().authorize(http);
        String first = tokens.token().value();

        clock.advance(Duration.ofSeconds(89));
        String cached = tokens.token().value();
        clock.advance(Duration.ofSeconds(1));
        String refreshed = tokens.token().value();
        clock.advance(Duration.ofSeconds(90));
        String refreshedAgain = tokens.token().value();

        assertThat(cached).isEqualTo(first);
        assertThat(refreshed).isNotEqualTo(first).startsWith(TestAuthorizationServer.ACCESS_TOKEN_PREFIX);
        assertThat(refreshedAgain).isNotEqualTo(refreshed);
        assertThat(as.proofKeys).hasSize(3).containsOnly(signer.thumbprint());
        assertThat(tokens.toString()).doesNotContain(first).doesNotContain(TestAuthorizationServer.REFRESH_TOKEN_PREFIX);
    }

    @Test
    void refreshesAfterInvalidate() throws Exception {
        DPoPTokens tokens = flow().authorize(http);
        String first = tokens.token().value();

        tokens.invalidate();

        assertThat(tokens.current()).isEmpty();
        assertThat(tokens.token().value()).isNotEqualTo(first);
    }
}
