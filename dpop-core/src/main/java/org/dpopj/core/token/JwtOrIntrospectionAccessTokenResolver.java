package org.dpopj.core.token;

import java.util.Map;
import java.util.Objects;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;
import org.dpopj.core.spi.AccessTokenResolver;

/**
 * JWT access tokens of one issuer checked locally, every other token introspected: the token's
 * shape alone decides, before either resolver runs. A JWS compact serialization (three base64url parts)
 * whose payload is a JSON object with {@code iss} equal to the configured issuer goes to the JWT
 * resolver (RFC 9068); anything else (an opaque token, a JWT of another issuer, text that only looks
 * like a JWT) goes to the introspection endpoint (RFC 7662).
 *
 * <p>There is no fall-back from one to the other. A token that claims our issuer is judged by our
 * issuer's keys and rules only: if a JWT with a bad signature, an unknown {@code kid}, a wrong
 * {@code aud} or {@code typ}, or an expiry were then introspected, the weakest of the two paths would
 * decide (an introspection endpoint that answers for any audience, say, would accept a token the JWT
 * rules refuse), every forged token would cost an outbound call (an attacker's way to load the
 * authorization server through us), and an issuer outage answered with 503 would turn into a second
 * opinion. Only the routing reads the unverified payload, and only to pick the path; its claims are
 * never used.
 *
 * <p>Immutable and thread-safe when the two resolvers are.
 */
public final class JwtOrIntrospectionAccessTokenResolver implements AccessTokenResolver {

    private final String issuer;
    private final AccessTokenResolver jwt;
    private final AccessTokenResolver introspection;

    private JwtOrIntrospectionAccessTokenResolver(String issuer, AccessTokenResolver jwt,
                                                 AccessTokenResolver introspection) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.jwt = Objects.requireNonNull(jwt, "jwt");
        this.introspection = Objects.requireNonNull(introspection, "introspection");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
    }

    /**
     * @param issuer the exact {@code iss} of the JWTs {@code jwt} checks
     * @param jwt checks the JWTs of {@code issuer}
     * @param introspection introspects every other token
     * @return the resolver
     */
    public static JwtOrIntrospectionAccessTokenResolver of(String issuer, AccessTokenResolver jwt,
                                                           AccessTokenResolver introspection) {
        return new JwtOrIntrospectionAccessTokenResolver(issuer, jwt, introspection);
    }

    @Override
    public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
        return (isJwtOfIssuer(token) ? jwt : introspection).resolve(token, scheme);
    }

    @Override
    public AccessToken resolve(PresentedToken token) throws DPoPException {
        return (isJwtOfIssuer(token.value()) ? jwt : introspection).resolve(token);
    }

    /**
     * @param token a presented access token
     * @return whether it has the shape of a JWS compact serialization whose unverified payload names
     *     the configured issuer
     */
    boolean isJwtOfIssuer(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || second == first + 1 || token.indexOf('.', second + 1) >= 0
                || second == token.length() - 1) {
            return false;
        }
        try {
            byte[] payload = Base64Url.decode(token, first + 1, second);
            Map<String, Object> claims = StrictJson.parseObject(payload, JsonLimits.DOCUMENT);
            return issuer.equals(claims.get("iss"));
        } catch (IllegalArgumentException | MalformedJsonException e) {
            return false;
        }
    }
}
