package org.dpopj.core.token;

import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.MutableClock;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.AccessTokenResolver;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpopj.core.token.TestTokens.AUDIENCE;
import static org.dpopj.core.token.TestTokens.NOW;
import static org.dpopj.core.token.TestTokens.assertInvalidToken;

class AccessTokenResolversTest extends LoopbackIssuerTest {

    private static final PublicJsonWebKey KEY = TestTokens.ec("ec-1");

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<String, String> values = new HashMap<>();

    @BeforeEach
    void reset() {
        issuer.publish(KEY);
    }

    private AccessTokenResolver resolver() {
        return AccessTokenResolvers.fromSettings(DPoPSettings.from(values), clock).orElseThrow();
    }

    private void assertConfigurationError(String key) {
        assertThatThrownBy(() -> AccessTokenResolvers.fromSettings(DPoPSettings.from(values), clock))
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    private void jwtSettings() {
        values.put(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString());
        values.put(AccessTokenResolvers.ISSUER, issuer.issuer());
        values.put(AccessTokenResolvers.AUDIENCE, "urn:other, " + AUDIENCE);
    }

    private void introspectionSettings() {
        values.put(AccessTokenResolvers.INTROSPECTION_URI, issuer.introspectionUri().toString());
        values.put(AccessTokenResolvers.INTROSPECTION_CLIENT_ID, "rs");
        values.put(AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET, "secret");
    }

    /** Introspection settings plus {@code key}, with the endpoint answering {@code json}. */
    private void introspecting(String key, String value, String json) {
        introspectionSettings();
        values.put(key, value);
        issuer.introspection(LoopbackIssuer.Answer.json(json));
    }

    @Test
    void configuresNothingWithoutTokenSettings() {
        assertThat(AccessTokenResolvers.fromSettings(DPoPSettings.from(values), clock)).isEmpty();
    }

    @Test
    void buildsJwtResolverFromJwksUriIssuerAndAudienceList() throws DPoPException {
        jwtSettings();

        AccessToken token = resolver().resolve(TestTokens.mint(KEY, issuer.issuer()).sign(), AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void buildsJwtResolverThatDiscoversKeysFromIssuer() throws DPoPException {
        values.put(AccessTokenResolvers.ISSUER, issuer.issuer());
        values.put(AccessTokenResolvers.AUDIENCE, AUDIENCE);

        AccessTokenResolver resolver = resolver();
        assertThat(issuer.hits("/.well-known/oauth-authorization-server")).isZero();
        resolver.resolve(TestTokens.mint(KEY, issuer.issuer()).sign(), AuthScheme.DPOP);

        assertThat(issuer.hits("/.well-known/oauth-authorization-server")).isEqualTo(1);
    }

    @Test
    void startsBeforeAnUnreachableIssuer() throws IOException {
        values.put(AccessTokenResolvers.ISSUER, LoopbackIssuer.refusingUri("").toString());
        values.put(AccessTokenResolvers.AUDIENCE, AUDIENCE);

        assertThat(AccessTokenResolvers.fromSettings(DPoPSettings.from(values), clock)).isPresent();
    }

    @Test
    void appliesClockSkewSetting() {
        jwtSettings();
        values.put(DPoPSettings.CLOCK_SKEW, "0s");
        String token = TestTokens.mint(KEY, issuer.issuer()).time("exp", NOW.minusSeconds(5)).sign();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.DPOP));
    }

    @Test
    void appliesAlgorithmsSetting() {
        jwtSettings();
        values.put(AccessTokenResolvers.ALGORITHMS, "RS256,PS256");

        assertInvalidToken(() -> resolver().resolve(TestTokens.mint(KEY, issuer.issuer()).sign(), AuthScheme.DPOP));
    }

    @Test
    void appliesAcceptPlainJwtSetting() throws DPoPException {
        jwtSettings();
        values.put(AccessTokenResolvers.ACCEPT_PLAIN_JWT, "true");

        AccessToken token = resolver().resolve(TestTokens.mint(KEY, issuer.issuer()).header("typ", "JWT").sign(),
                AuthScheme.DPOP);

        assertThat(token.subject()).contains("alice");
    }

    @Test
    void requiresIssuerWithJwksUri() {
        jwtSettings();
        values.remove(AccessTokenResolvers.ISSUER);

        assertConfigurationError(AccessTokenResolvers.ISSUER);
    }

    @Test
    void requiresAudienceForJwts() {
        jwtSettings();
        values.remove(AccessTokenResolvers.AUDIENCE);

        assertConfigurationError(AccessTokenResolvers.AUDIENCE);
    }

    @Test
    void requiresHttpIssuerForDiscovery() {
        values.put(AccessTokenResolvers.ISSUER, "urn:issuer");
        values.put(AccessTokenResolvers.AUDIENCE, AUDIENCE);

        assertConfigurationError(AccessTokenResolvers.ISSUER);
    }

    @Test
    void refusesHmacAlgorithms() {
        jwtSettings();
        values.put(AccessTokenResolvers.ALGORITHMS, "RS256,HS256");

        assertConfigurationError(AccessTokenResolvers.ALGORITHMS);
    }

    @Test
    void refusesZeroTimeout() {
        jwtSettings();
        values.put(AccessTokenResolvers.TIMEOUT, "0s");

        assertConfigurationError(AccessTokenResolvers.TIMEOUT);
    }

    @Test
    void buildsIntrospectionResolver() throws DPoPException {
        introspectionSettings();
        issuer.introspection(LoopbackIssuer.Answer.json("{\"active\":true,\"sub\":\"alice\"}"));

        assertThat(resolver().resolve("opaque", AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void requiresIntrospectionClientId() {
        introspectionSettings();
        values.remove(AccessTokenResolvers.INTROSPECTION_CLIENT_ID);

        assertConfigurationError(AccessTokenResolvers.INTROSPECTION_CLIENT_ID);
    }

    @Test
    void requiresIntrospectionClientSecret() {
        introspectionSettings();
        values.remove(AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET);

        assertConfigurationError(AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET);
    }

    @Test
    void buildsJwtAndIntrospectionSideBySideFromJwksUriAndIntrospectionUri() {
        jwtSettings();
        introspectionSettings();

        assertThat(resolver()).isInstanceOf(JwtOrIntrospectionAccessTokenResolver.class);
    }

    @Test
    void refusesNonHttpIntrospectionUri() {
        introspectionSettings();
        values.put(AccessTokenResolvers.INTROSPECTION_URI, "ftp://as.example/introspect");

        assertConfigurationError(AccessTokenResolvers.INTROSPECTION_URI);
    }

    @Test
    void keepsClientSecretOutOfConfigurationErrors() {
        introspectionSettings();
        values.put(AccessTokenResolvers.INTROSPECTION_CACHE, "forever");

        assertThatThrownBy(() -> AccessTokenResolvers.fromSettings(DPoPSettings.from(values), clock))
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo(AccessTokenResolvers.INTROSPECTION_CACHE);
                    assertThat(e.getMessage()).doesNotContain("secret");
                });
    }

    @Test
    void introspectionRejectsActiveAnswerWithoutAudienceWhenAudienceIsSet() {
        introspecting(AccessTokenResolvers.AUDIENCE, AUDIENCE, "{\"active\":true,\"sub\":\"alice\"}");

        assertInvalidToken(() -> resolver().resolve("opaque", AuthScheme.DPOP));
    }

    @Test
    void introspectionRejectsActiveAnswerForAnotherAudience() {
        introspecting(AccessTokenResolvers.AUDIENCE, AUDIENCE, "{\"active\":true,\"aud\":\"urn:other-resource\"}");

        assertInvalidToken(() -> resolver().resolve("opaque", AuthScheme.DPOP));
    }

    @Test
    void introspectionAcceptsActiveAnswerNamingOneOfTheAudiences() throws DPoPException {
        introspecting(AccessTokenResolvers.AUDIENCE, "urn:other, " + AUDIENCE,
                "{\"active\":true,\"sub\":\"alice\",\"aud\":[\"urn:third\",\"" + AUDIENCE + "\"]}");

        assertThat(resolver().resolve("opaque", AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void buildsIntrospectionResolverWithIssuerWithoutDiscovery() throws DPoPException {
        introspecting(AccessTokenResolvers.ISSUER, issuer.issuer(),
                "{\"active\":true,\"sub\":\"alice\",\"iss\":\"" + issuer.issuer() + "\"}");

        assertThat(resolver().resolve("opaque", AuthScheme.DPOP).subject()).contains("alice");
        assertThat(issuer.hits("/.well-known/oauth-authorization-server")).isZero();
    }

    @Test
    void introspectionRejectsActiveAnswerFromAnotherIssuer() {
        introspecting(AccessTokenResolvers.ISSUER, issuer.issuer(),
                "{\"active\":true,\"iss\":\"https://evil.example\"}");

        assertInvalidToken(() -> resolver().resolve("opaque", AuthScheme.DPOP));
    }

    @Test
    void introspectionAcceptsActiveAnswerWithoutIssuer() throws DPoPException {
        introspecting(AccessTokenResolvers.ISSUER, issuer.issuer(), "{\"active\":true,\"sub\":\"alice\"}");

        assertThat(resolver().resolve("opaque", AuthScheme.DPOP).subject()).contains("alice");
    }

    @Test
    void jwtBesideIntrospectionRequiresTheIssuer() {
        introspectionSettings();
        values.put(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString());
        values.put(AccessTokenResolvers.AUDIENCE, AUDIENCE);

        assertConfigurationError(AccessTokenResolvers.ISSUER);
    }

    @Test
    void jwtBesideIntrospectionRequiresTheAudience() {
        introspectionSettings();
        values.put(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString());
        values.put(AccessTokenResolvers.ISSUER, issuer.issuer());

        assertConfigurationError(AccessTokenResolvers.AUDIENCE);
    }
}
