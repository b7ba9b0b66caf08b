package org.dpopj.core.spi;

/**
 * Told of every call the shipped access-token resolvers make to the token issuer: each fetch of its
 * JWKS (RFC 7517 §5, with metadata discovery, RFC 8414 §3, when no {@code jwks_uri} is set) and each
 * token introspection (RFC 7662 §2), and whether it succeeded. For metrics; it never sees a token, a
 * credential or a response body.
 *
 * <p>Called on the request thread that made the call: implementations must be thread-safe and quick,
 * and must not throw (an exception is caught and ignored, so that observing never changes an outcome).
 */
@FunctionalInterface
public interface IssuerCallListener {

    /** The issuer endpoint that was called. */
    enum Endpoint {
        /** The issuer's JWKS, with metadata discovery when it was needed. */
        JWKS,
        /** The RFC 7662 introspection endpoint. */
        INTROSPECTION
    }

    /**
     * @param endpoint what was called; never {@code null}
     * @param succeeded whether it answered usefully (a JWKS with a usable key; an introspection answer)
     */
    void onCall(Endpoint endpoint, boolean succeeded);
}
