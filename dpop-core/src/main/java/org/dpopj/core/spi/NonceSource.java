package org.dpopj.core.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Issues and checks server-provided nonces (RFC 9449 §8, §9).
 *
 * <p>Implementations must be thread-safe and should be stateless or cluster-wide, so that a nonce
 * issued by one node is accepted by every other node.
 */
public interface NonceSource {

    /** What {@link #check} found. */
    enum Status {
        /** Issued here and current. */
        FRESH,
        /** Issued here and still accepted, but about to expire: the response carries a new one. */
        EXPIRING,
        /** Unknown, forged, malformed or expired. */
        INVALID
    }

    /**
     * @param now the current time
     * @return a new nonce: a non-empty string of NQCHAR characters (RFC 9449 §8.1)
     */
    String issue(Instant now);

    /**
     * @param nonce the nonce claim from a proof
     * @param now the current time
     * @return whether it is accepted
     */
    Status check(String nonce, Instant now);

    /** @return the longest time an issued nonce stays accepted, which the replay window must cover */
    Duration maxLifetime();
}
