package org.dpopj.core.spi;

import java.time.Instant;

/**
 * Remembers which proofs were already used, so that each {@code jti} is accepted once within the
 * acceptance window (RFC 9449 §11.1). Nimbus calls the same idea a single-use checker.
 *
 * <p>Implementations must be thread-safe, and {@link #markUsed} must be one atomic operation (a
 * {@code putIfAbsent}), also across the nodes of a cluster when the store claims to be shared. They
 * must be bounded and fail closed: when full, answer {@link Outcome#REFUSED}, never evict a live
 * entry; when the backing store fails, throw. The validator turns a thrown exception into a 503.
 */
public interface ReplayStore {

    /** What {@link #markUsed} found. */
    enum Outcome {
        /** The key was not present and is now recorded until its expiry. */
        FIRST_USE,
        /** The key was already recorded: a replay. */
        REPLAYED,
        /** The store is full, or the scope holds too many live entries: refuse the proof (fail closed). */
        REFUSED
    }

    /**
     * Atomically records {@code key} unless it is already present.
     *
     * @param scope the key's owner (the proof key's thumbprint), for per-scope bounds; never {@code null}
     * @param key an opaque, already hashed replay key, unique across scopes; never {@code null}
     * @param expiresAt the earliest time at which the entry may be forgotten
     * @return the outcome
     * @throws RuntimeException when the store cannot answer; the request then fails closed
     */
    Outcome markUsed(String scope, String key, Instant expiresAt);

    /** @return whether entries are shared by every node of a cluster, for start-up warnings */
    boolean isClusterWide();
}
