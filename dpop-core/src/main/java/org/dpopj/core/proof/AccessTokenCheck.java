package org.dpopj.core.proof;

import java.time.Duration;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.spi.AccessTokenResolver;

/**
 * RFC 9449 §7.1 and §7.2: the access token is valid, bound when presented as DPoP, and unbound when
 * presented as Bearer (a bound token sent as Bearer is a downgrade). Immutable.
 */
final class AccessTokenCheck {

    private final AccessTokenResolver resolver;
    private final Duration retryAfter;

    AccessTokenCheck(AccessTokenResolver resolver, Duration retryAfter) {
        this.resolver = resolver;
        this.retryAfter = retryAfter;
    }

    AccessToken resolve(PresentedToken token) throws DPoPException {
        AccessToken accessToken;
        try {
            accessToken = resolver.resolve(token);
        } catch (DPoPException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DPoPException.unavailable(Check.ACCESS_TOKEN, "Access token could not be validated", retryAfter, e);
        }
        return accessToken;
    }

    /** §7.1: a token presented with the DPoP scheme must be bound to a key. */
    static void boundWhenDPoP(PresentedToken token, AccessToken accessToken) throws DPoPException {
        if (token.scheme() == AuthScheme.DPOP && accessToken.jkt().isEmpty()) {
            throw DPoPException.invalidToken(Check.ACCESS_TOKEN, "Access token is not DPoP-bound");
        }
    }

    /** §7.2: a token bound to a key, or typed DPoP by introspection, is never accepted as Bearer. */
    static void unbound(AccessToken accessToken) throws DPoPException {
        if (accessToken.jkt().isPresent()
                || accessToken.tokenType().filter(AuthScheme.DPOP.httpName()::equalsIgnoreCase).isPresent()) {
            throw DPoPException.invalidToken(Check.KEY_BINDING, "DPoP-bound token presented as a Bearer token");
        }
    }
}
