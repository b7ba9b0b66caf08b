package org.dpopj.core.token;

import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.MutableClock;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpopj.core.token.TestTokens.AUDIENCE;
import static org.dpopj.core.token.TestTokens.JKT;
import static org.dpopj.core.token.TestTokens.NOW;
import static org.dpopj.core.token.TestTokens.assertInvalidToken;
import static org.dpopj.core.token.TestTokens.assertUnavailable;

class JwtAccessTokenResolverTest extends LoopbackIssuerTest {

    private static final PublicJsonWebKey RSA_1 = TestTokens.rsa("rsa-1");
    private static final PublicJsonWebKey RSA_2 = TestTokens.rsa("rsa-2");
    private static final PublicJsonWebKey EC_1 = TestTokens.ec("ec-1");
    private static final PublicJsonWebKey ED_1 = TestTokens.ed25519("ed-1");

    private MutableClock clock;

    @BeforeEach
    void reset() {
        issuer.publish(RSA_1, EC_1, ED_1);
        clock = new MutableClock(NOW);
    }

    private JwtAccessTokenResolverBuilder builder() {
        return JwtAccessTokenResolver.builder()
                .jwksUri(issuer.jwksUri())
                .issuer(issuer.issuer())
                .audience(AUDIENCE)
                .clock(clock)
                .timeout(Duration.ofSeconds(2));
    }

    private JwtAccessTokenResolver resolver() {
        return builder().build();
    }

    /** @return a resolver that fetched the issuer's keys at {@link TestTokens#NOW}, then {@code later} passed */
    private JwtAccessTokenResolver resolverThatFetchedKeys(JwtAccessTokenResolverBuilder builder, Duration later)
            throws DPoPException {
        JwtAccessTokenResolver resolver = builder.build();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        clock.advance(later);
        return resolver;
    }

    private TestTokens.Mint mint(PublicJsonWebKey key) {
        return TestTokens.mint(key, issuer.issuer());
    }

    @Test
    void resolvesSubjectScopesExpiryClientIdAndClaims() throws DPoPException {
        AccessToken token = resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
        assertThat(token.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(token.expiresAt()).contains(NOW.plusSeconds(300));
        assertThat(token.clientId()).contains("client-1");
        assertThat(token.claims()).containsEntry("jti", "jti-1").containsEntry("iss", issuer.issuer());
    }

    @Test
    void extractsCnfJkt() throws DPoPException {
        AccessToken token = resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        assertThat(token.jkt()).contains(JKT);
    }

    @Test
    void reportsNoJktForUnboundToken() throws DPoPException {
        AccessToken token = resolver().resolve(mint(RSA_1).without("cnf").sign(), AuthScheme.BEARER);

        assertThat(token.jkt()).isEmpty();
    }

    @Test
    void returnsDeeplyImmutableClaims() throws DPoPException {
        AccessToken token = resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        @SuppressWarnings("unchecked")
        Map<String, Object> cnf = (Map<String, Object>) token.claims().get("cnf");
        assertThatThrownBy(() -> cnf.put("jkt", "other")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsCnfThatIsNotAnObject() {
        String token = mint(RSA_1).claim("cnf", JKT).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsCnfJktThatIsNotAString() {
        String token = mint(RSA_1).claim("cnf", Map.of("jkt", 42)).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void readsScpArrayWhenScopeIsAbsent() throws DPoPException {
        String token = mint(RSA_1).without("scope").claim("scp", List.of("read", "admin")).sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).scopes()).containsExactlyInAnyOrder("read", "admin");
    }

    @Test
    void acceptsEs256Token() throws DPoPException {
        assertThat(resolver().resolve(mint(EC_1).sign(), AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsEdDsaToken() throws DPoPException {
        assertThat(resolver().resolve(mint(ED_1).sign(), AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsPs256Token() throws DPoPException {
        String token = mint(RSA_1).header("alg", "PS256").sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsTokenMintedByNimbusAgainstNimbusJwks() throws Exception {
        ECKey nimbusKey = new ECKeyGenerator(Curve.P_256).keyID("nimbus-1").generate();
        issuer.jwks(LoopbackIssuer.Answer.json(new JWKSet(nimbusKey.toPublicJWK()).toString()));
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID("nimbus-1").build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer.issuer())
                        .audience(AUDIENCE)
                        .subject("bob")
                        .claim("client_id", "nimbus-client")
                        .jwtID("nimbus-jti-1")
                        .issueTime(java.util.Date.from(NOW))
                        .expirationTime(java.util.Date.from(NOW.plusSeconds(60)))
                        .claim("cnf", Map.of("jkt", JKT))
                        .build());
        jwt.sign(new ECDSASigner(nimbusKey));

        AccessToken token = resolver().resolve(jwt.serialize(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("bob");
        assertThat(token.jkt()).contains(JKT);
    }

    @Test
    void acceptsAnyOfSeveralConfiguredAudiences() throws DPoPException {
        String token = mint(RSA_1).claim("aud", List.of("https://other.example.com", "urn:second")).sign();

        AccessToken resolved = builder().audience("urn:second").build().resolve(token, AuthScheme.DPOP);

        assertThat(resolved.subject()).contains("alice");
    }

    @Test
    void rejectsWrongAudience() {
        String token = mint(RSA_1).claim("aud", "https://other.example.com").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenWithoutAudience() {
        String token = mint(RSA_1).without("aud").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsWrongIssuer() {
        String token = TestTokens.mint(RSA_1, "https://evil.example.com").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsIssuerThatDiffersOnlyByTrailingSlash() {
        String token = TestTokens.mint(RSA_1, issuer.issuer() + "/").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsExpiredToken() {
        String token = mint(RSA_1).time("exp", NOW.minusSeconds(11)).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void acceptsTokenExpiredWithinClockSkew() throws DPoPException {
        String token = mint(RSA_1).time("exp", NOW.minusSeconds(5)).sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void rejectsTokenThatExpiresWhileCached() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        String token = mint(RSA_1).sign();
        resolver.resolve(token, AuthScheme.DPOP);

        clock.advance(Duration.ofSeconds(311));

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenWithoutExp() {
        String token = mint(RSA_1).without("exp").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsExpThatIsNotANumber() {
        String token = mint(RSA_1).claim("exp", "tomorrow").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenNotYetValid() {
        String token = mint(RSA_1).time("nbf", NOW.plusSeconds(60)).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void acceptsNbfWithinClockSkew() throws DPoPException {
        String token = mint(RSA_1).time("nbf", NOW.plusSeconds(5)).sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void rejectsTokenIssuedInTheFutureBeyondClockSkew() {
        String token = mint(RSA_1).time("iat", NOW.plusSeconds(11)).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void appliesConfiguredClockSkew() {
        String token = mint(RSA_1).time("exp", NOW.minusSeconds(5)).sign();

        assertInvalidToken(() -> builder().clockSkew(Duration.ZERO).build().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenSignedByUnknownKeyUnderKnownKid() {
        PublicJsonWebKey impostor = TestTokens.rsa("rsa-1");
        String token = mint(impostor).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenWithUnknownKidAfterRefresh() {
        JwtAccessTokenResolver resolver = resolver();
        String token = mint(RSA_2).sign();

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsTamperedPayload() {
        String[] parts = mint(RSA_1).sign().split("\\.");
        String tampered = parts[0] + "." + TestTokens.b64("{\"iss\":\"" + issuer.issuer()
                + "\",\"aud\":\"" + AUDIENCE + "\",\"exp\":" + NOW.plusSeconds(300).getEpochSecond()
                + ",\"sub\":\"admin\"}") + "." + parts[2];

        assertInvalidToken(() -> resolver().resolve(tampered, AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenSignedWithHmacUsingPublicKeyBytes() {
        String token = mint(RSA_1).signHmac(RSA_1.getPublicKey().getEncoded());

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsHmacTokenEvenWhenJwksPublishesASymmetricKeyForItsKid() {
        byte[] secret = new byte[32];
        issuer.jwks(LoopbackIssuer.Answer.json("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"hmac-1\",\"k\":\""
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\"},"
                + RSA_1.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}"));
        String token = mint(RSA_1).header("kid", "hmac-1").signHmac(secret);

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsUnsignedTokenWithAlgNone() {
        String token = mint(RSA_1).unsigned();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsAlgorithmMissingFromAllowList() {
        String token = mint(RSA_1).sign();

        assertInvalidToken(() -> builder().algorithms("ES256").build().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsAlgorithmThatDoesNotFitTheKeyOfTheKid() {
        String token = mint(EC_1).header("kid", "rsa-1").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void refusesToConfigureHmacAlgorithm() {
        assertThatThrownBy(() -> builder().algorithms("RS256", "HS256"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToConfigureAlgNone() {
        assertThatThrownBy(() -> builder().algorithms("none")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoresEncryptionKeys() {
        Map<String, Object> params = RSA_1.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        params.put("use", "enc");
        issuer.jwks(LoopbackIssuer.Answer.json(org.jose4j.json.JsonUtil.toJson(Map.of("keys", List.of(params,
                EC_1.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))))));

        assertInvalidToken(() -> resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void rejectsMissingTyp() {
        String token = mint(RSA_1).withoutHeader("typ").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsPlainJwtTypByDefault() {
        String token = mint(RSA_1).header("typ", "JWT").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void acceptsApplicationAtJwtTypCaseInsensitively() throws DPoPException {
        String token = mint(RSA_1).header("typ", "Application/AT+JWT").sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void acceptsPlainJwtWhenConfigured() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().acceptPlainJwt(true).build();

        assertThat(resolver.resolve(mint(RSA_1).header("typ", "JWT").sign(), AuthScheme.DPOP).subject())
                .contains("alice");
        assertThat(resolver.resolve(mint(RSA_1).withoutHeader("typ").sign(), AuthScheme.DPOP).subject())
                .contains("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "client_id", "iat", "jti"})
    void rejectsAtJwtWithoutAClaimRfc9068Requires(String claim) {
        String token = mint(RSA_1).without(claim).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "client_id", "iat", "jti"})
    void acceptsPlainJwtWithoutRfc9068ProfileClaimsWhenConfigured(String claim) throws DPoPException {
        String token = mint(RSA_1).header("typ", "JWT").without(claim).sign();

        assertThat(builder().acceptPlainJwt(true).build().resolve(token, AuthScheme.DPOP).expiresAt()).isPresent();
    }

    @Test
    void refusesJwksRefreshIntervalUnderOneSecond() {
        assertThatThrownBy(() -> builder().jwksRefreshInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsTokenWithGiantExpWithoutConvertingIt() {
        String token = mint(RSA_1).claim("exp", new java.math.BigDecimal("1e999999999")).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsDPoPProofTypEvenWhenPlainJwtAccepted() {
        String token = mint(RSA_1).header("typ", "dpop+jwt").sign();

        assertInvalidToken(() -> builder().acceptPlainJwt(true).build().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsCriticalHeaderExtensions() {
        String token = mint(RSA_1).header("crit", List.of("exp")).header("exp", 1).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void rejectsMalformedToken() {
        assertInvalidToken(() -> resolver().resolve("not-a-jwt", AuthScheme.DPOP));
    }

    @Test
    void rejectsTokenWithGarbageSegments() {
        assertInvalidToken(() -> resolver().resolve("a.b.c", AuthScheme.DPOP));
    }

    @Test
    void rejectsEncryptedToken() {
        assertInvalidToken(() -> resolver().resolve("a.b.c.d.e", AuthScheme.DPOP));
    }

    @Test
    void usesTheOnlySuitableKeyWhenTokenHasNoKid() throws DPoPException {
        String token = mint(RSA_1).withoutHeader("kid").sign();

        assertThat(resolver().resolve(token, AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void rejectsTokenWithoutKidWhenSeveralKeysSuit() {
        issuer.publish(RSA_1, RSA_2);
        String token = mint(RSA_1).withoutHeader("kid").sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void acceptsNewKeyAfterRotation() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.publish(RSA_2, EC_1);
        clock.advance(Duration.ofSeconds(31));

        AccessToken token = resolver.resolve(mint(RSA_2).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void rejectsRetiredKeyAfterRotation() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.publish(RSA_2, EC_1);
        clock.advance(Duration.ofSeconds(31));
        resolver.resolve(mint(RSA_2).sign(), AuthScheme.DPOP);

        assertInvalidToken(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void rateLimitsRefreshesTriggeredByUnknownKids() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        clock.advance(Duration.ofSeconds(31));

        for (int i = 0; i < 50; i++) {
            String token = mint(RSA_2).header("kid", "made-up-" + i).sign();
            assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
        }

        assertThat(issuer.hits("/jwks")).isLessThanOrEqualTo(2);
    }

    @Test
    void coalescesConcurrentRefreshesForANewKeyIntoOneFetch() throws Exception {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.publish(RSA_1, RSA_2);
        clock.advance(Duration.ofSeconds(5));
        String token = mint(RSA_2).time("iat", clock.instant()).sign();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DPoPException>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit((Callable<DPoPException>) () -> {
                    start.await();
                    try {
                        resolver.resolve(token, AuthScheme.DPOP);
                        return null;
                    } catch (DPoPException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            for (Future<DPoPException> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isNull();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void fetchesKeysOnceForManyTokens() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        for (int i = 0; i < 10; i++) {
            resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        }

        assertThat(issuer.hits("/jwks")).isEqualTo(1);
    }

    @Test
    void fetchesKeysAgainAfterCacheLifetime() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(10)).build();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        clock.advance(Duration.ofMinutes(10));

        resolver.resolve(mint(RSA_1).time("iat", clock.instant()).time("exp", clock.instant().plusSeconds(60))
                .sign(), AuthScheme.DPOP);

        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void fetchesAgainWhenTheCacheLifetimeEndsWithinTheRefreshInterval() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder().jwksCacheLifetime(Duration.ofSeconds(2)),
                Duration.ofSeconds(2));

        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void keepsUsingLastGoodKeysWhenRefreshFails() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.jwks(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));
        clock.advance(Duration.ofMinutes(11));

        AccessToken token = resolver.resolve(mint(RSA_1).time("exp", clock.instant().plusSeconds(60)).sign(),
                AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void stopsUsingLastGoodKeysOnceStaleBeyondTheBound() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(10))
                .jwksMaxStaleness(Duration.ofMinutes(5)).build();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.jwks(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));
        clock.advance(Duration.ofMinutes(14));
        resolver.resolve(mint(RSA_1).time("iat", clock.instant()).time("exp", clock.instant().plusSeconds(60)).sign(),
                AuthScheme.DPOP);
        clock.advance(Duration.ofMinutes(2));

        assertUnavailable(() -> resolver.resolve(mint(RSA_1).time("iat", clock.instant())
                .time("exp", clock.instant().plusSeconds(60)).sign(), AuthScheme.DPOP));
    }

    @Test
    void ignoresJwksKeyWithGiantRsaExponent() throws Exception {
        Map<String, Object> giant = new java.util.LinkedHashMap<>(RSA_1.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        giant.put("e", org.dpopj.core.jose.Base64Url.encode(java.math.BigInteger.ONE.shiftLeft(2047).add(java.math.BigInteger.ONE).toByteArray()));
        issuer.jwks(LoopbackIssuer.Answer.json(org.jose4j.json.JsonUtil.toJson(Map.of("keys", List.of(giant)))));

        assertUnavailable(() -> resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableForUnknownKidWhileIssuerIsDown() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);
        issuer.jwks(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));
        clock.advance(Duration.ofSeconds(31));

        assertUnavailable(() -> resolver.resolve(mint(RSA_2).sign(), AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenIssuerIsUnreachable() throws IOException {
        JwtAccessTokenResolver resolver = builder().jwksUri(LoopbackIssuer.refusingUri("/jwks")).build();

        assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void doesNotCallFailingIssuerAgainWithinItsBackOff() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
        JwtAccessTokenResolver resolver = resolver();
        for (int i = 0; i < 5; i++) {
            assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
        }

        assertThat(issuer.hits("/jwks")).isEqualTo(1);
    }

    @Test
    void recoversOneSecondAfterAFailedFetch() throws DPoPException {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
        JwtAccessTokenResolver resolver = resolver();
        assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
        issuer.publish(RSA_1);
        clock.advance(Duration.ofSeconds(1));

        AccessToken token = resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void doublesTheBackOffAfterEachFailedFetch() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
        JwtAccessTokenResolver resolver = resolver();
        List<Integer> fetchesEachSecond = new ArrayList<>();
        for (int second = 0; second < 8; second++) {
            assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
            fetchesEachSecond.add(issuer.hits("/jwks"));
            clock.advance(Duration.ofSeconds(1));
        }

        // failed fetches at 0, 1, 3 and 7 s: waits of 1, 2 and 4 s
        assertThat(fetchesEachSecond).containsExactly(1, 2, 2, 3, 3, 3, 3, 4);
    }

    @Test
    void capsTheBackOffAtTheRefreshInterval() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
        JwtAccessTokenResolver resolver = builder().jwksRefreshInterval(Duration.ofSeconds(2)).build();
        for (int second = 0; second < 7; second++) {
            assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
            clock.advance(Duration.ofSeconds(1));
        }

        // failed fetches at 0, 1, 3 and 5 s: waits of 1, 2, 2
        assertThat(issuer.hits("/jwks")).isEqualTo(4);
    }

    @Test
    void advertisesTheValidatorsDefaultRetryAfterWhenKeysAreUnavailable() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));

        assertThatThrownBy(() -> resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(5)));
    }

    @Test
    void advertisesConfiguredRetryAfterWhenKeysAreUnavailable() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));

        assertThatThrownBy(() -> builder().retryAfter(Duration.ofSeconds(7)).build()
                .resolve(mint(RSA_1).sign(), AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void acceptsKeyTheIssuerActivatedSoonAfterOurLastFetch() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofSeconds(5));
        issuer.publish(RSA_1, RSA_2);

        AccessToken token = resolver.resolve(mint(RSA_2).time("iat", clock.instant()).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void answersUnavailableForUnknownKidOfATokenNewerThanARateLimitedKeySet() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofSeconds(2));
        issuer.publish(RSA_1, RSA_2);
        String token = mint(RSA_2).time("iat", clock.instant()).sign();

        assertUnavailable(() -> resolver.resolve(token, AuthScheme.DPOP));
        assertThat(issuer.hits("/jwks")).isEqualTo(1);
    }

    @Test
    void rejectsUnknownKidOfATokenIssuedBeforeTheLastFetch() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofSeconds(2));
        String token = mint(RSA_2).time("iat", NOW.minusSeconds(11)).sign();

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
        assertThat(issuer.hits("/jwks")).isEqualTo(1);
    }

    @Test
    void answersUnavailableForUnknownKidOfATokenIssuedWithinTheClockSkewOfTheLastFetch() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofSeconds(2));
        String token = mint(RSA_2).time("iat", NOW.minusSeconds(9)).sign();

        assertUnavailable(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableForUnknownKidOfATokenWithoutIatWhileRateLimited() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder().acceptPlainJwt(true), Duration.ofSeconds(2));
        String token = mint(RSA_2).header("typ", "JWT").without("iat").sign();

        assertUnavailable(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void acceptsARemovedKeyUntilTheCacheLifetimeEnds() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofMinutes(10).minusSeconds(1));
        issuer.publish(EC_1);

        AccessToken token = resolver.resolve(mint(RSA_1).time("iat", clock.instant())
                .time("exp", clock.instant().plusSeconds(60)).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void rejectsARemovedKeyOnceTheCacheLifetimeHasEnded() throws DPoPException {
        JwtAccessTokenResolver resolver = resolverThatFetchedKeys(builder(), Duration.ofMinutes(10));
        issuer.publish(EC_1);
        String token = mint(RSA_1).time("iat", clock.instant()).time("exp", clock.instant().plusSeconds(60)).sign();

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void logsAnOutageOnceWhenItStartsAndOnceWhenItEnds() throws DPoPException {
        JwtAccessTokenResolver resolver = resolver();
        try (CapturedLog log = CapturedLog.of(JwtAccessTokenResolver.class)) {
            issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
            for (int second = 0; second < 10; second++) {
                assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
                clock.advance(Duration.ofSeconds(1));
            }
            issuer.publish(RSA_1);
            clock.advance(Duration.ofSeconds(5));
            resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

            log.assertOneOutageStartAndEnd("is unavailable", "is available again");
        }
    }

    @Test
    void answersUnavailableWhenJwksIsGarbage() {
        issuer.jwks(LoopbackIssuer.Answer.json("<html>oops</html>"));

        assertUnavailable(() -> resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenJwksHasNoUsableKey() {
        issuer.jwks(LoopbackIssuer.Answer.json("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}"));

        assertUnavailable(() -> resolver().resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void answersUnavailableWhenJwksEndpointIsSlow() {
        issuer.jwks(new LoopbackIssuer.Answer(200, "application/json", "{\"keys\":[]}", Duration.ofSeconds(2)));
        JwtAccessTokenResolver resolver = builder().timeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();

        assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void followsRedirectWithinTheSameOrigin() throws DPoPException {
        issuer.redirectTo("/jwks");

        AccessToken token = builder().jwksUri(issuer.uri("/redirect")).build()
                .resolve(mint(RSA_1).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void doesNotFollowRedirectToAnotherHost() {
        issuer.redirectTo("http://localhost:" + issuer.jwksUri().getPort() + "/jwks");

        assertUnavailable(() -> builder().jwksUri(issuer.uri("/redirect")).build()
                .resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
    }

    @Test
    void discoversJwksUriFromAuthorizationServerMetadata() throws DPoPException {
        JwtAccessTokenResolver resolver = JwtAccessTokenResolver.builder()
                .issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();

        assertThat(resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP).subject()).contains("alice");
        assertThat(issuer.hits("/.well-known/oauth-authorization-server")).isEqualTo(1);
    }

    @Test
    void fallsBackToOpenIdConfiguration() throws DPoPException {
        issuer.oauthMetadata(new LoopbackIssuer.Answer(404, "text/plain", "no", Duration.ZERO));
        issuer.oidcMetadata(LoopbackIssuer.Answer.json(issuer.metadataJson(issuer.issuer())));
        JwtAccessTokenResolver resolver = JwtAccessTokenResolver.builder()
                .issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();

        assertThat(resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP).subject()).contains("alice");
        assertThat(issuer.hits("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void discoversLazilyOnFirstUse() {
        JwtAccessTokenResolver.builder().issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();

        assertThat(issuer.hits("/.well-known/oauth-authorization-server")).isZero();
        assertThat(issuer.hits("/jwks")).isZero();
    }

    @Test
    void refusesMetadataNamingAnotherIssuer() {
        issuer.oauthMetadata(LoopbackIssuer.Answer.json(issuer.metadataJson("https://evil.example.com")));
        JwtAccessTokenResolver resolver = JwtAccessTokenResolver.builder()
                .issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();

        assertUnavailable(() -> resolver.resolve(mint(RSA_1).sign(), AuthScheme.DPOP));
        assertThat(issuer.hits("/jwks")).isZero();
    }

    @Test
    void requiresIssuer() {
        assertThatThrownBy(() -> JwtAccessTokenResolver.builder().jwksUri(URI.create("https://as.example/jwks"))
                .audience(AUDIENCE).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requiresAudience() {
        assertThatThrownBy(() -> JwtAccessTokenResolver.builder().jwksUri(URI.create("https://as.example/jwks"))
                .issuer("https://as.example").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsTokenOutOfFailureDescription() {
        String token = mint(RSA_1).time("exp", NOW.minusSeconds(60)).sign();

        assertThatThrownBy(() -> resolver().resolve(token, AuthScheme.DPOP))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    assertThat(e.description()).doesNotContain(token.split("\\.")[1]);
                    assertThat(e.getMessage()).doesNotContain(token.split("\\.")[1]);
                });
    }
}
