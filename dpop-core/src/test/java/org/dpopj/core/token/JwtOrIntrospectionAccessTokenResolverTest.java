package org.dpopj.core.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.testing.LoopbackIssuer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.core.token.TestTokens.assertInvalidToken;
import static org.dpopj.core.token.TestTokens.assertUnavailable;

/**
 * JWTs of the configured issuer checked locally, every other token introspected, decided by the
 * token's shape alone: a JWT of our issuer that fails is never introspected. The loopback issuer's
 * introspection endpoint knows every token it minted, its JWTs included, so a fall-back would show as
 * an accepted token or an introspection call.
 */
class JwtOrIntrospectionAccessTokenResolverTest extends LoopbackIssuerTest {

    private AccessTokenResolver resolver() {
        Map<String, String> values = new HashMap<>();
        values.put(AccessTokenResolvers.ISSUER, issuer.issuer());
        values.put(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString());
        values.put(AccessTokenResolvers.AUDIENCE, LoopbackIssuer.AUDIENCE);
        values.put(AccessTokenResolvers.INTROSPECTION_URI, issuer.introspectionUri().toString());
        values.put(AccessTokenResolvers.INTROSPECTION_CLIENT_ID, LoopbackIssuer.CLIENT_ID);
        values.put(AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET, LoopbackIssuer.CLIENT_SECRET);
        values.put(DPoPSettings.RETRY_AFTER, "1s");
        return AccessTokenResolvers.fromSettings(DPoPSettings.from(values), Clock.systemUTC()).orElseThrow();
    }

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jwksUriWithIntrospectionUriGivesBothSideBySide() {
        assertThat(resolver()).isInstanceOf(JwtOrIntrospectionAccessTokenResolver.class);
    }

    @Test
    void jwtOfTheIssuerIsCheckedLocallyWithoutIntrospection() throws DPoPException {
        String token = issuer.accessToken().subject("jwt-user").jwt();

        assertThat(resolver().resolve(token, AuthScheme.BEARER).subject()).contains("jwt-user");
        assertThat(issuer.hits("/introspect")).isZero();
    }

    @Test
    void opaqueTokenIsIntrospected() throws DPoPException {
        String token = issuer.accessToken().subject("opaque-user").opaque();

        assertThat(resolver().resolve(token, AuthScheme.BEARER).subject()).contains("opaque-user");
        assertThat(issuer.hits("/introspect")).isEqualTo(1);
    }

    @Test
    void bothKindsAreAcceptedByOneResolver() throws DPoPException {
        AccessTokenResolver resolver = resolver();

        assertThat(resolver.resolve(issuer.accessToken().subject("a").jwt(), AuthScheme.BEARER).subject()).contains("a");
        assertThat(resolver.resolve(issuer.accessToken().subject("b").opaque(), AuthScheme.BEARER).subject()).contains("b");
        assertThat(issuer.hits("/introspect")).isEqualTo(1);
    }

    @Test
    void jwtOfTheIssuerWithAnotherTokensSignatureIsRefusedAndNeverIntrospected() {
        String genuine = issuer.accessToken().subject("alice").jwt();
        String other = issuer.accessToken().subject("mallory").jwt();
        String forged = genuine.substring(0, genuine.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));

        assertInvalidToken(() -> resolver().resolve(forged, AuthScheme.BEARER));
        assertThat(issuer.hits("/introspect")).isZero();
    }

    @Test
    void jwtOfTheIssuerForAnotherAudienceIsRefusedThoughTheIntrospectionEndpointKnowsIt() {
        String token = issuer.accessToken().audience("https://other.resource.test").jwt();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.BEARER));
        assertThat(issuer.hits("/introspect")).isZero();
    }

    @Test
    void expiredJwtOfTheIssuerIsRefusedAndNeverIntrospected() {
        String token = issuer.accessToken().lifetime(Duration.ofMinutes(-10)).jwt();

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.BEARER));
        assertThat(issuer.hits("/introspect")).isZero();
    }

    @Test
    void unreachableJwksIsA503NotAnIntrospection() {
        issuer.jwks(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));
        String token = issuer.accessToken().jwt();

        assertUnavailable(() -> resolver().resolve(token, AuthScheme.BEARER));
        assertThat(issuer.hits("/introspect")).isZero();
    }

    @Test
    void jwtOfAnotherIssuerIsIntrospected() {
        String token = part("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") + "." + part("{\"iss\":\"https://elsewhere.test\"}") + ".c2ln";

        assertInvalidToken(() -> resolver().resolve(token, AuthScheme.BEARER));
        assertThat(issuer.hits("/introspect")).isEqualTo(1);
    }

    @Test
    void onlyAThreePartTokenWithAJsonPayloadNamingTheIssuerIsRoutedToTheJwtResolver() {
        JwtOrIntrospectionAccessTokenResolver router = (JwtOrIntrospectionAccessTokenResolver) resolver();
        String ours = part("{\"iss\":\"" + issuer.issuer() + "\"}");

        assertThat(router.isJwtOfIssuer("h." + ours + ".s")).isTrue();
        assertThat(router.isJwtOfIssuer("h." + ours)).isFalse();
        assertThat(router.isJwtOfIssuer("h." + ours + ".s.x")).isFalse();
        assertThat(router.isJwtOfIssuer("." + ours + ".s")).isFalse();
        assertThat(router.isJwtOfIssuer("h." + ours + ".")).isFalse();
        assertThat(router.isJwtOfIssuer("h.not-json!.s")).isFalse();
        assertThat(router.isJwtOfIssuer("h." + part("[\"" + issuer.issuer() + "\"]") + ".s")).isFalse();
        assertThat(router.isJwtOfIssuer("h." + part("{\"iss\":[\"" + issuer.issuer() + "\"]}") + ".s")).isFalse();
        assertThat(router.isJwtOfIssuer("h." + part("{\"iss\":\"" + issuer.issuer() + "/\"}") + ".s")).isFalse();
        assertThat(router.isJwtOfIssuer("opaque-token-without-dots")).isFalse();
    }
}
