package org.dpopj.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A DPoP-bound access token issued by a token endpoint (RFC 9449 §5): its value, when it expires, the
 * scope granted and the JWK thumbprint of the key it was requested with (the key every proof sent with
 * it must be signed by, RFC 9449 §6). {@link #toString()} never shows the value. Immutable and
 * thread-safe.
 */
public final class DPoPAccessToken {

    private final String value;
    private final Instant expiresAt;
    private final String scope;
    private final String boundTo;

    DPoPAccessToken(String value, Instant expiresAt, String scope, String boundTo) {
        this.value = Objects.requireNonNull(value, "value");
        this.expiresAt = expiresAt;
        this.scope = scope;
        this.boundTo = Objects.requireNonNull(boundTo, "boundTo");
    }

    /**
     * @return the RFC 7638 thumbprint of the key whose proof obtained the token: the {@code cnf.jkt}
     *     the authorization server bound it to
     */
    public String boundTo() {
        return boundTo;
    }

    /** @return the token, for {@code Authorization: DPoP} and the proof's {@code ath}; never log it */
    public String value() {
        return value;
    }

    /** @return when it expires ({@code expires_in} after it was received); empty when the server did not say */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** @return the scope granted, when the token endpoint named one (RFC 6749 §5.1) */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    /**
     * @param now the current time
     * @param margin how long before its expiry a token counts as expiring
     * @return whether it expires within {@code margin} of {@code now}; {@code false} without an expiry
     */
    public boolean expiresWithin(Instant now, Duration margin) {
        return expiresAt != null && !now.plus(margin).isBefore(expiresAt);
    }

    /** @return the expiry and scope; never the token */
    @Override
    public String toString() {
        return "DPoPAccessToken[expiresAt=" + expiresAt + ", scope=" + scope + ", jkt=" + boundTo + "]";
    }
}
