package org.dpopj.fuzz;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.dpopj.core.spi.ReplayStore;

/**
 * A bounded in-memory replay store for the validator target: one atomic check-and-record, and
 * {@link Outcome#REFUSED} when full, never an eviction. {@link #reset()} empties it before each input,
 * so every input is judged on its own and a finding replays the same way. Thread-safe.
 */
final class InMemoryReplayStore implements ReplayStore {

    private final int capacity;
    private final Map<String, Instant> used = new HashMap<>();
    private boolean refused;

    InMemoryReplayStore(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized Outcome markUsed(String scope, String key, Instant expiresAt) {
        if (used.containsKey(key)) {
            return Outcome.REPLAYED;
        }
        if (used.size() >= capacity) {
            refused = true;
            return Outcome.REFUSED;
        }
        used.put(key, expiresAt);
        return Outcome.FIRST_USE;
    }

    @Override
    public boolean isClusterWide() {
        return true;
    }

    /** Forgets every entry. */
    synchronized void reset() {
        used.clear();
        refused = false;
    }

    /** @return whether the store answered {@link Outcome#REFUSED} since the last {@link #reset()} */
    synchronized boolean refusedSinceReset() {
        return refused;
    }
}
