package org.dpopj.core;

import java.util.Objects;

import org.dpopj.core.jose.Sha256;

/**
 * An access token as presented in {@code Authorization}, with its SHA-256 hash computed once per
 * request: the hash is the expected {@code ath} (RFC 9449 §4.2), the introspection cache key, and, in
 * its first eight characters, the token's name in logs and audit events (RFC 6750 §5.3: the token
 * itself is never logged). {@link #toString()} shows the hash prefix only. Immutable and thread-safe.
 */
public final class PresentedToken {

    private static final int PREFIX_LENGTH = 8;

    private final String value;
    private final AuthScheme scheme;
    private final String sha256;

    /**
     * @param value the token68 credentials; not {@code null}
     * @param scheme the scheme it was presented with; not {@code null}
     */
    public PresentedToken(String value, AuthScheme scheme) {
        this.value = Objects.requireNonNull(value, "value");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.sha256 = Sha256.base64Url(value);
    }

    /** @return the token itself: a secret, never to be logged */
    public String value() {
        return value;
    }

    /** @return the scheme it was presented with */
    public AuthScheme scheme() {
        return scheme;
    }

    /** @return base64url of the SHA-256 of the token's UTF-8 bytes (43 characters) */
    public String sha256() {
        return sha256;
    }

    /** @return the first 8 characters of {@link #sha256()}: enough to correlate log lines, useless to a thief */
    public String hashPrefix() {
        return sha256.substring(0, PREFIX_LENGTH);
    }

    @Override
    public String toString() {
        return "PresentedToken[" + scheme.httpName() + " " + hashPrefix() + "]";
    }
}
