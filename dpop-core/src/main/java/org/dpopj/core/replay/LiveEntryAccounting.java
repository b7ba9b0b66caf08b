package org.dpopj.core.replay;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts the live entries this node has put into a replay cache, globally and per scope, so that
 * the store can refuse new entries when full instead of letting the cache evict live ones.
 *
 * <p>Slots are ordered by expiry in a sorted set, so reserving, releasing and purging one slot cost
 * O(log n); expired slots are purged lazily on the next reservation, without a thread. Memory is
 * bounded: the set never holds more than {@code maxEntries} slots and the per-scope map never holds
 * more scopes than there are slots.
 *
 * <p>Thread-safe: every method runs under one lock, held only for in-memory work.
 */
final class LiveEntryAccounting {

    /** One reserved place; identity matters, so that releasing one slot never frees another. */
    static final class Slot {
        private final String scope;
        private final Instant expiresAt;
        private final long sequence;

        private Slot(String scope, Instant expiresAt, long sequence) {
            this.scope = scope;
            this.expiresAt = expiresAt;
            this.sequence = sequence;
        }
    }

    private static final Comparator<Slot> BY_EXPIRY =
            Comparator.comparing((Slot slot) -> slot.expiresAt).thenComparingLong(slot -> slot.sequence);

    private final int maxEntries;
    private final int maxPerScope;
    private final Object lock = new Object();
    private final TreeSet<Slot> slots = new TreeSet<>(BY_EXPIRY);
    private final Map<String, Integer> liveByScope = new HashMap<>();
    private long nextSequence;

    LiveEntryAccounting(int maxEntries, int maxPerScope) {
        this.maxEntries = maxEntries;
        this.maxPerScope = maxPerScope;
    }

    /**
     * @param scope the entry's scope
     * @param expiresAt when the slot frees itself
     * @param now the current time, for the lazy purge
     * @return the reserved slot, or {@code null} when the store or the scope is full
     */
    Slot reserve(String scope, Instant expiresAt, Instant now) {
        synchronized (lock) {
            purgeExpired(now);
            if (slots.size() >= maxEntries || liveByScope.getOrDefault(scope, 0) >= maxPerScope) {
                return null;
            }
            Slot slot = new Slot(scope, expiresAt, nextSequence++);
            slots.add(slot);
            liveByScope.merge(scope, 1, Integer::sum);
            return slot;
        }
    }

    /** Gives a slot back early, when its entry was not stored; releasing twice has no effect. */
    void release(Slot slot) {
        synchronized (lock) {
            if (slots.remove(slot)) {
                decrement(slot.scope);
            }
        }
    }

    private void purgeExpired(Instant now) {
        while (!slots.isEmpty() && !slots.first().expiresAt.isAfter(now)) {
            decrement(slots.pollFirst().scope);
        }
    }

    private void decrement(String scope) {
        liveByScope.computeIfPresent(scope, (key, count) -> count == 1 ? null : count - 1);
    }
}
