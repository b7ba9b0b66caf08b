package org.dpopj.core.token;

import java.time.Duration;
import java.util.Map;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.MutableClock;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpopj.core.token.TestTokens.AUDIENCE;
import static org.dpopj.core.token.TestTokens.NOW;
import static org.dpopj.core.token.TestTokens.assertInvalidToken;
import static org.dpopj.core.token.TestTokens.assertUnavailable;

/**
 * The verified-token cache of {@link JwtAccessTokenResolver}: a token verified once is answered from
 * memory, never outside its own validity, never once the key that verified it has left the issuer's
 * key set, and never for any other token.
 */
class VerifiedTokenCacheTest extends LoopbackIssuerTest {

    private static final PublicJsonWebKey EC_1 = TestTokens.ec("ec-1");
    private static final PublicJsonWebKey EC_2 = TestTokens.ec("ec-2");

    private MutableClock clock;

    @BeforeEach
    void reset() {
        issuer.publish(EC_1, EC_2);
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

    private TestTokens.Mint mint(PublicJsonWebKey key) {
        return TestTokens.mint(key, issuer.issuer());
    }

    @Test
    void answersTheSameTokenFromMemoryAfterOneVerification() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().build();
        String token = mint(EC_1).sign();

        AccessToken first = resolver.resolve(token, AuthScheme.DPOP);
        AccessToken second = resolver.resolve(token, AuthScheme.DPOP);

        assertThat(second).isSameAs(first);
        assertThat(resolver.cachedTokens()).isEqualTo(1);
    }

    @Test
    void verifiesEveryTimeWhenTheCacheIsOff() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().tokenCacheMaxEntries(0).build();
        String token = mint(EC_1).sign();

        AccessToken first = resolver.resolve(token, AuthScheme.DPOP);
        AccessToken second = resolver.resolve(token, AuthScheme.DPOP);

        assertThat(second).isNotSameAs(first);
        assertThat(second.subject()).isEqualTo(first.subject());
        assertThat(resolver.cachedTokens()).isZero();
    }

    @Test
    void refusesARememberedTokenOnceItHasExpired() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().build();
        String token = mint(EC_1).time("exp", NOW.plusSeconds(60)).sign();
        resolver.resolve(token, AuthScheme.DPOP);

        clock.advance(Duration.ofSeconds(60 + 10));

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
        assertThat(resolver.cachedTokens()).isZero();
    }

    @Test
    void acceptsARememberedTokenUntilItsExpiryPlusTheSkew() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().build();
        String token = mint(EC_1).time("exp", NOW.plusSeconds(60)).sign();
        AccessToken first = resolver.resolve(token, AuthScheme.DPOP);

        clock.advance(Duration.ofSeconds(60 + 10).minusMillis(1));

        assertThat(resolver.resolve(token, AuthScheme.DPOP)).isSameAs(first);
    }

    @Test
    void refusesARememberedTokenOnceTheFetchedKeySetLacksItsKey() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(1)).build();
        String token = mint(EC_1).sign();
        resolver.resolve(token, AuthScheme.DPOP);
        issuer.publish(EC_2);

        clock.advance(Duration.ofMinutes(1));

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void keepsARememberedTokenWhenTheFetchedKeySetStillHasItsKey() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(1)).build();
        String token = mint(EC_1).sign();
        AccessToken first = resolver.resolve(token, AuthScheme.DPOP);

        clock.advance(Duration.ofMinutes(1));

        assertThat(resolver.resolve(token, AuthScheme.DPOP)).isSameAs(first);
        assertThat(issuer.hits("/jwks")).isEqualTo(2);
    }

    @Test
    void refusesARememberedTokenWhenAKeyOfTheSameIdNowHoldsAnotherPublicKey() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(1)).build();
        String token = mint(EC_1).sign();
        resolver.resolve(token, AuthScheme.DPOP);
        issuer.publish(TestTokens.ec("ec-1"));

        clock.advance(Duration.ofMinutes(1));

        assertInvalidToken(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void answersARememberedTokenWith503OnceTheKeysAreStaleBeyondTheBound() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().jwksCacheLifetime(Duration.ofMinutes(1))
                .jwksMaxStaleness(Duration.ofMinutes(1)).build();
        String token = mint(EC_1).time("exp", NOW.plusSeconds(3600)).sign();
        resolver.resolve(token, AuthScheme.DPOP);
        issuer.jwks(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));

        clock.advance(Duration.ofMinutes(2));

        assertUnavailable(() -> resolver.resolve(token, AuthScheme.DPOP));
    }

    @Test
    void neverAnswersADifferentTokenThatSharesTheRememberedOnesPrefix() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().build();
        String token = mint(EC_1).sign();
        resolver.resolve(token, AuthScheme.DPOP);
        char last = token.charAt(token.length() - 1);
        String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertInvalidToken(() -> resolver.resolve(forged, AuthScheme.DPOP));
        assertInvalidToken(() -> resolver.resolve(token + "A", AuthScheme.DPOP));
    }

    @Test
    void remembersOnlyTokensThatVerified() {
        JwtAccessTokenResolver resolver = builder().build();
        String wrongAudience = mint(EC_1).claim("aud", "https://other.example.com").sign();

        assertInvalidToken(() -> resolver.resolve(wrongAudience, AuthScheme.DPOP));
        assertInvalidToken(() -> resolver.resolve(wrongAudience, AuthScheme.DPOP));
        assertThat(resolver.cachedTokens()).isZero();
    }

    @Test
    void holdsNoMoreTokensThanItsBound() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().tokenCacheMaxEntries(2).build();

        for (int i = 0; i < 5; i++) {
            resolver.resolve(mint(EC_1).claim("jti", "jti-" + i).sign(), AuthScheme.DPOP);
        }

        assertThat(resolver.cachedTokens()).isEqualTo(2);
    }

    @Test
    void makesRoomByDroppingExpiredTokensFirst() throws DPoPException {
        JwtAccessTokenResolver resolver = builder().tokenCacheMaxEntries(2).build();
        resolver.resolve(mint(EC_1).claim("jti", "short").time("exp", NOW.plusSeconds(20)).sign(), AuthScheme.DPOP);
        String kept = mint(EC_1).claim("jti", "long").sign();
        AccessToken first = resolver.resolve(kept, AuthScheme.DPOP);
        clock.advance(Duration.ofSeconds(40));

        resolver.resolve(mint(EC_1).claim("jti", "new").time("iat", clock.instant()).sign(), AuthScheme.DPOP);

        assertThat(resolver.resolve(kept, AuthScheme.DPOP)).isSameAs(first);
        assertThat(resolver.cachedTokens()).isEqualTo(2);
    }

    @Test
    void readsItsBoundFromTheSettings() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.TOKEN_CACHE_MAX_ENTRIES, "-1"));

        assertThatThrownBy(() -> builder().performanceSettings(settings))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining(DPoPSettings.TOKEN_CACHE_MAX_ENTRIES);
    }

    @Test
    void turnsOffWhenTheSettingIsZero() throws DPoPException {
        JwtAccessTokenResolver resolver = builder()
                .performanceSettings(DPoPSettings.from(Map.of(DPoPSettings.TOKEN_CACHE_MAX_ENTRIES, "0"))).build();

        resolver.resolve(mint(EC_1).sign(), AuthScheme.DPOP);

        assertThat(resolver.cachedTokens()).isZero();
    }
}
