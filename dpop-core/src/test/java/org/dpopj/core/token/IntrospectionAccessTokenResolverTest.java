package org.dpopj.core.token;

import org.dpopj.core.jose.Sha256;

import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.MutableClock;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpopj.core.token.TestTokens.JKT;
import static org.dpopj.core.token.TestTokens.NOW;
import static org.dpopj.core.token.TestTokens.assertInvalidToken;
import static org.dpopj.core.token.TestTokens.assertUnavailable;

class IntrospectionAccessTokenResolverTest extends LoopbackIssuerTest {

    private static final String TOKEN = "opaque-token-value-1";
    private static final long EXP = NOW.plusSeconds(3600).getEpochSecond();
    private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"client_id\":\"client-1\","
            + "\"scope\":\"read write\",\"token_type\":\"DPoP\",\"exp\":" + EXP + ",\"cnf\":{\"jkt\":\"" + JKT + "\"}}";

    private MutableClock clock;

    @BeforeEach
    void reset() {
        issuer.introspection(LoopbackIssuer.Answer.json(ACTIVE));
        clock = new MutableClock(NOW);
    }

    private IntrospectionAccessTokenResolverBuilder builder() {
        return IntrospectionAccessTokenResolver.builder()
                .introspectionUri(issuer.introspectionUri())
                .clientCredentials("resource-server", "s3cret")
                .clock(clock)
                .timeout(Duration.ofSeconds(2));
    }

    private IntrospectionAccessTokenResolver resolver() {
        return builder().build();
    }

    private static final String AS = "https://as.example.com";
    private static final String RS = "https://api.example.com";

    /** Rejects the token twice, the second time from the cached answer: one introspection call. */
    private static void assertRejectedAgainFromTheCache(IntrospectionAccessTokenResolver resolver) {
        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertThat(issuer.hits("/introspect")).isEqualTo(1);
    }

    private static void answer(String json) {
        issuer.introspection(LoopbackIssuer.Answer.json(json));
    }

    @Test
    void resolvesSubjectScopesExpiryClientIdAndTokenType() throws DPoPException {
        AccessToken token = resolver().resolve(TOKEN, AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
        assertThat(token.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(token.expiresAt()).contains(NOW.plusSeconds(3600));
        assertThat(token.clientId()).contains("client-1");
        assertThat(token.tokenType()).contains("DPoP");
        assertThat(token.claims()).containsEntry("sub", "alice");
    }

    @Test
    void extractsCnfJkt() throws DPoPException {
        assertThat(resolver().resolve(TOKEN, AuthScheme.DPOP).jkt()).contains(JKT);
    }

    @Test
    void rejectsMalformedCnf() {
        answer("{\"active\":true,\"cnf\":{\"jkt\":7}}");

        assertInvalidToken(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void postsTokenWithAccessTokenHint() throws DPoPException {
        resolver().resolve("a+b/c=", AuthScheme.DPOP);

        assertThat(issuer.lastIntrospectionHeader("Method")).isEqualTo("POST");
        assertThat(issuer.lastIntrospectionHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(issuer.lastIntrospectionHeader("Accept")).isEqualTo("application/json");
        assertThat(issuer.lastIntrospectionBody()).isEqualTo("token=a%2Bb%2Fc%3D&token_type_hint=access_token");
    }

    @Test
    void sendsBasicAuthWithFormEncodedCredentials() throws DPoPException {
        builder().clientCredentials("rs:1 é", "p@ss:w/rd+").build().resolve(TOKEN, AuthScheme.DPOP);

        String header = issuer.lastIntrospectionHeader("Authorization");
        assertThat(header).startsWith("Basic ");
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("rs%3A1+%C3%A9:p%40ss%3Aw%2Frd%2B");
        String[] credentials = decoded.split(":");
        assertThat(URLDecoder.decode(credentials[0], StandardCharsets.UTF_8)).isEqualTo("rs:1 é");
        assertThat(URLDecoder.decode(credentials[1], StandardCharsets.UTF_8)).isEqualTo("p@ss:w/rd+");
    }

    @Test
    void rejectsInactiveToken() {
        answer("{\"active\":false}");

        assertInvalidToken(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void rejectsActiveTokenWhoseExpHasPassed() {
        answer("{\"active\":true,\"exp\":" + NOW.minusSeconds(60).getEpochSecond() + "}");

        assertInvalidToken(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenTypeMismatchForDPoPScheme() {
        answer("{\"active\":true,\"token_type\":\"Bearer\"}");

        assertInvalidToken(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void comparesTokenTypeCaseInsensitively() throws DPoPException {
        answer("{\"active\":true,\"token_type\":\"dpop\"}");

        assertThat(resolver().resolve(TOKEN, AuthScheme.DPOP).tokenType()).contains("dpop");
    }

    @Test
    void acceptsMissingTokenType() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\"}");

        assertThat(resolver().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void returnsDPoPTokenTypeForBearerSchemeSoTheValidatorCanRejectTheDowngrade() throws DPoPException {
        AccessToken token = resolver().resolve(TOKEN, AuthScheme.BEARER);

        assertThat(token.tokenType()).contains("DPoP");
        assertThat(token.jkt()).contains(JKT);
    }

    @Test
    void cachesActiveAnswerByTokenHash() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = resolver();
        resolver.resolve(TOKEN, AuthScheme.DPOP);

        resolver.resolve(TOKEN, AuthScheme.DPOP);

        assertThat(issuer.hits("/introspect")).isEqualTo(1);
        assertThat(resolver.cacheKeys()).containsExactly(Sha256.base64Url(TOKEN));
    }

    @Test
    void checksTokenTypeAgainstSchemeOnCachedAnswers() throws DPoPException {
        answer("{\"active\":true,\"token_type\":\"Bearer\"}");
        IntrospectionAccessTokenResolver resolver = resolver();
        resolver.resolve(TOKEN, AuthScheme.BEARER);

        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void introspectsAgainAfterCacheLifetime() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = builder().cacheLifetime(Duration.ofSeconds(60)).build();
        resolver.resolve(TOKEN, AuthScheme.DPOP);
        clock.advance(Duration.ofSeconds(60));

        resolver.resolve(TOKEN, AuthScheme.DPOP);

        assertThat(issuer.hits("/introspect")).isEqualTo(2);
    }

    @Test
    void neverCachesBeyondTokenExpiry() throws DPoPException {
        answer("{\"active\":true,\"exp\":" + NOW.plusSeconds(20).getEpochSecond() + "}");
        IntrospectionAccessTokenResolver resolver = resolver();
        resolver.resolve(TOKEN, AuthScheme.DPOP);
        clock.advance(Duration.ofSeconds(20));
        answer("{\"active\":false}");

        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertThat(issuer.hits("/introspect")).isEqualTo(2);
    }

    @Test
    void cachesInactiveAnswerBriefly() {
        answer("{\"active\":false}");
        IntrospectionAccessTokenResolver resolver = resolver();
        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertThat(issuer.hits("/introspect")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        assertInvalidToken(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));

        assertThat(issuer.hits("/introspect")).isEqualTo(2);
    }

    @Test
    void doesNotCacheUnavailableAnswers() {
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
        IntrospectionAccessTokenResolver resolver = resolver();
        assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        clock.advance(Duration.ofSeconds(1));

        assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));

        assertThat(issuer.hits("/introspect")).isEqualTo(2);
    }

    @Test
    void doesNotCallAFailingEndpointAgainWithinItsBackOff() {
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
        IntrospectionAccessTokenResolver resolver = resolver();
        for (int i = 0; i < 5; i++) {
            String token = TOKEN + "-" + i;
            assertUnavailable(() -> resolver.resolve(token, AuthScheme.DPOP));
        }

        assertThat(issuer.hits("/introspect")).isEqualTo(1);
    }

    @Test
    void recoversOneSecondAfterAFailedCall() throws DPoPException {
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
        IntrospectionAccessTokenResolver resolver = resolver();
        assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        answer(ACTIVE);
        clock.advance(Duration.ofSeconds(1));

        assertThat(resolver.resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void doublesTheBackOffUpToFiveSeconds() {
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
        IntrospectionAccessTokenResolver resolver = resolver();
        List<Integer> callsEachSecond = new ArrayList<>();
        for (int second = 0; second < 13; second++) {
            assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
            callsEachSecond.add(issuer.hits("/introspect"));
            clock.advance(Duration.ofSeconds(1));
        }

        // failed calls at 0, 1, 3, 7 and 12 s: waits of 1, 2, 4, then 5
        assertThat(callsEachSecond).containsExactly(1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5);
    }

    @Test
    void usesCachedAnswersWhileTheEndpointIsDown() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = resolver();
        resolver.resolve(TOKEN, AuthScheme.DPOP);
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
        assertUnavailable(() -> resolver.resolve("another-token", AuthScheme.DPOP));

        assertThat(resolver.resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void advertisesTheValidatorsDefaultRetryAfter() {
        issuer.introspection(new LoopbackIssuer.Answer(503, "text/plain", "busy", Duration.ZERO));

        assertThatThrownBy(() -> resolver().resolve(TOKEN, AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(5)));
    }

    @Test
    void logsAnOutageOnceWhenItStartsAndOnceWhenItEnds() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = resolver();
        try (CapturedLog log = CapturedLog.of(IntrospectionAccessTokenResolver.class)) {
            issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "boom", Duration.ZERO));
            for (int second = 0; second < 10; second++) {
                assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
                clock.advance(Duration.ofSeconds(1));
            }
            answer(ACTIVE);
            clock.advance(Duration.ofSeconds(5));
            resolver.resolve(TOKEN, AuthScheme.DPOP);

            log.assertOneOutageStartAndEnd("is unavailable", "is available again");
        }
    }

    @Test
    void answersWithoutCachingWhenCacheIsFull() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = builder().cacheMaxEntries(2).build();
        resolver.resolve("token-1", AuthScheme.DPOP);
        resolver.resolve("token-2", AuthScheme.DPOP);

        assertThat(resolver.resolve("token-3", AuthScheme.DPOP).subject()).contains("alice");
        resolver.resolve("token-3", AuthScheme.DPOP);

        assertThat(issuer.hits("/introspect")).isEqualTo(4);
        assertThat(resolver.cacheKeys()).hasSize(2);
    }

    @Test
    void evictsExpiredEntriesWhenCacheIsFull() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = builder().cacheMaxEntries(2).build();
        resolver.resolve("token-1", AuthScheme.DPOP);
        resolver.resolve("token-2", AuthScheme.DPOP);
        clock.advance(Duration.ofSeconds(61));

        resolver.resolve("token-3", AuthScheme.DPOP);

        assertThat(resolver.cacheKeys()).containsExactly(Sha256.base64Url("token-3"));
    }

    @Test
    void neverUsesTheTokenAsCacheKey() throws DPoPException {
        IntrospectionAccessTokenResolver resolver = resolver();
        resolver.resolve(TOKEN, AuthScheme.DPOP);

        assertThat(resolver.cacheKeys()).noneMatch(key -> key.contains(TOKEN));
    }

    @Test
    void answersUnavailableWhenActiveIsMissing() {
        answer("{\"sub\":\"alice\",\"cnf\":{\"jkt\":\"" + JKT + "\"}}");

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenActiveIsNotBoolean() {
        answer("{\"active\":\"true\"}");

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableOnServerError() {
        issuer.introspection(new LoopbackIssuer.Answer(500, "application/json", "{\"active\":true}", Duration.ZERO));

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenClientAuthenticationFails() {
        issuer.introspection(new LoopbackIssuer.Answer(401, "application/json", "{\"error\":\"invalid_client\"}",
                Duration.ZERO));

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableOnGarbage() {
        answer("\u0000garbage{{");

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableOnJsonArray() {
        answer("[{\"active\":true}]");

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableOnNonJsonContentType() {
        issuer.introspection(new LoopbackIssuer.Answer(200, "text/html", "{\"active\":true}", Duration.ZERO));

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableOnDuplicateActiveMember() {
        answer("{\"active\":false,\"active\":true}");

        assertUnavailable(() -> resolver().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenEndpointIsSlow() {
        issuer.introspection(new LoopbackIssuer.Answer(200, "application/json", ACTIVE, Duration.ofSeconds(2)));
        IntrospectionAccessTokenResolver resolver = builder().timeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();

        assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void answersUnavailableWhenEndpointIsDown() throws IOException {
        IntrospectionAccessTokenResolver resolver = builder()
                .introspectionUri(LoopbackIssuer.refusingUri("/introspect")).build();

        assertUnavailable(() -> resolver.resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void advertisesConfiguredRetryAfter() {
        issuer.introspection(new LoopbackIssuer.Answer(503, "text/plain", "busy", Duration.ZERO));

        assertThatThrownBy(() -> builder().retryAfter(Duration.ofSeconds(7)).build().resolve(TOKEN, AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void keepsTokenOutOfFailureDescription() {
        answer("{\"active\":false}");

        assertThatThrownBy(() -> resolver().resolve(TOKEN, AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.description()).doesNotContain(TOKEN));
    }

    @Test
    void rejectsActiveAnswerWithoutAudienceWhenAnAudienceIsConfigured() {
        answer("{\"active\":true,\"sub\":\"alice\"}");

        assertInvalidToken(() -> builder().audience(RS).build().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void rejectsActiveAnswerForAnotherAudience() {
        answer("{\"active\":true,\"aud\":\"https://other-api.example.com\"}");

        assertInvalidToken(() -> builder().audience(RS).build().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void acceptsAudienceStringEqualToAConfiguredAudience() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\",\"aud\":\"" + RS + "\"}");

        assertThat(builder().audience("urn:other", RS).build().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsAudienceArrayContainingAConfiguredAudience() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\",\"aud\":[\"urn:other\",\"" + RS + "\"]}");

        assertThat(builder().audience(RS).build().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void rejectsMalformedAudience() {
        answer("{\"active\":true,\"aud\":[\"" + RS + "\",7]}");

        assertInvalidToken(() -> builder().audience(RS).build().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void ignoresAudienceWhenNoneIsConfigured() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\",\"aud\":\"https://other-api.example.com\"}");

        assertThat(resolver().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void checksAudienceOnCachedAnswers() {
        answer("{\"active\":true,\"aud\":\"https://other-api.example.com\"}");

        assertRejectedAgainFromTheCache(builder().audience(RS).build());
    }

    @Test
    void rejectsActiveAnswerFromAnotherIssuer() {
        answer("{\"active\":true,\"iss\":\"https://evil.example\"}");

        assertInvalidToken(() -> builder().issuer(AS).build().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void rejectsNonStringIssuer() {
        answer("{\"active\":true,\"iss\":[\"" + AS + "\"]}");

        assertInvalidToken(() -> builder().issuer(AS).build().resolve(TOKEN, AuthScheme.DPOP));
    }

    @Test
    void acceptsActiveAnswerFromTheConfiguredIssuer() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\",\"iss\":\"" + AS + "\"}");

        assertThat(builder().issuer(AS).build().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsActiveAnswerWithoutIssuerSinceRfc7662MakesItOptional() throws DPoPException {
        answer("{\"active\":true,\"sub\":\"alice\"}");

        assertThat(builder().issuer(AS).build().resolve(TOKEN, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void checksIssuerOnCachedAnswers() {
        answer("{\"active\":true,\"iss\":\"https://evil.example\"}");

        assertRejectedAgainFromTheCache(builder().issuer(AS).build());
    }

    @Test
    void refusesBlankIssuerOrAudience() {
        assertThatThrownBy(() -> builder().issuer(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().audience("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiresClientCredentials() {
        assertThatThrownBy(() -> IntrospectionAccessTokenResolver.builder()
                .introspectionUri(issuer.introspectionUri()).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
