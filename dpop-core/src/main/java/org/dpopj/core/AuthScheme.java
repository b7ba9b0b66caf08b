package org.dpopj.core;

/**
 * The HTTP authentication scheme a request used for its access token (RFC 9449 §7.1, RFC 6750 §2.1).
 *
 * <p>Thread-safe (an enum).
 */
public enum AuthScheme {
    /** {@code Authorization: DPoP <token>} with a {@code DPoP} proof. */
    DPOP("DPoP"),
    /** {@code Authorization: Bearer <token>}, accepted only for unbound tokens in {@link Mode#DPOP_OR_BEARER}. */
    BEARER("Bearer");

    private final String token;

    AuthScheme(String token) {
        this.token = token;
    }

    /** @return the scheme name as written in {@code Authorization} and {@code WWW-Authenticate} */
    public String httpName() {
        return token;
    }
}
