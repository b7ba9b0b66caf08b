package org.dpopj.core.spi;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;

/**
 * Turns a presented access token into a validated {@link AccessToken}: a JWT checked against its
 * issuer's keys (RFC 9068), or an opaque token introspected (RFC 7662).
 *
 * <p>Implementations must be thread-safe, must put a time-out on every outbound call, and must not
 * log the token (log a hash prefix instead).
 */
public interface AccessTokenResolver {

    /**
     * @param token the token from the {@code Authorization} header
     * @param scheme the scheme it was presented with (an introspected {@code token_type} must match)
     * @return the validated token
     * @throws DPoPException {@code invalid_token} for a token that is invalid, expired, inactive or of
     *     the wrong type; {@code TEMPORARILY_UNAVAILABLE} when the issuer cannot be reached
     */
    AccessToken resolve(String token, AuthScheme scheme) throws DPoPException;

    /**
     * The validator's entry point, with the token's hash computed once per request; resolvers that
     * need a hash (a cache key) override it. By default it calls {@link #resolve(String, AuthScheme)}.
     *
     * @param token the presented token and its hash
     * @return the validated token
     * @throws DPoPException as {@link #resolve(String, AuthScheme)}
     */
    default AccessToken resolve(PresentedToken token) throws DPoPException {
        return resolve(token.value(), token.scheme());
    }
}
