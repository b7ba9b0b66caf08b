package org.dpopj.core.spi;

import java.time.Instant;
import java.util.Optional;

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

    /**
     * How full a bounded store is, as counted by this node: for metrics and health checks, never for
     * deciding a request. Immutable.
     *
     * @param liveEntries the entries this node recorded that are still live (reserved ones included)
     * @param maxEntries the bound of {@code liveEntries}; at it, new proofs are {@link Outcome#REFUSED}
     * @param nearlyFullWarnings how often the store crossed its warning level (80% of the bound) since it was built
     * @param refusals how many {@link #markUsed} calls answered {@link Outcome#REFUSED} since it was built,
     *     for a full store or a full scope
     */
    record Usage(long liveEntries, long maxEntries, long nearlyFullWarnings, long refusals) {
    }

    /**
     * A snapshot of how full the store is. Must be thread-safe and quick (a metrics exporter calls it
     * on its own thread), and must not touch a remote backend.
     *
     * @return the snapshot, or empty (the default) when the store does not count its entries
     */
    default Optional<Usage> usage() {
        return Optional.empty();
    }
}
