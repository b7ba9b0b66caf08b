package org.dpopj.infinispan;

import java.util.HashMap;
import java.util.Map;

/**
 * The live entries this node has put into the shared cache, counted globally and per scope (per
 * proof key), so that the store refuses new proofs when full instead of growing the cache without
 * bound. The cache forgets entries itself (each carries its lifespan); this only counts them.
 *
 * <p>Every entry lives equally long, so expiries arrive in order: a ring of two parallel arrays
 * (the scope's counter, the expiry in milliseconds), 12 to 16 bytes an entry, released lazily on the
 * next reservation, without a thread. It grows by doubling up to {@code maxEntries} and never holds
 * more. Thread-safe: one lock, held for in-memory work only.
 */
final class NodeBudget {

    private static final int INITIAL_RING = 1024;

    /** The live count of one scope; what a reservation hands back. */
    static final class Scope {
        private final String name;
        private int live;

        private Scope(String name) {
            this.name = name;
        }
    }

    private final int maxEntries;
    private final int maxPerScope;
    private final Object lock = new Object();
    private final Map<String, Scope> scopes = new HashMap<>();
    private int reserved;
    private Scope[] owners = new Scope[0];
    private long[] expiries = new long[0];
    private int head;
    private int size;

    NodeBudget(int maxEntries, int maxPerScope) {
        this.maxEntries = maxEntries;
        this.maxPerScope = maxPerScope;
    }

    /** @return a reservation, or {@code null} when this node or the scope is at its bound */
    Scope reserve(String scope, long nowMillis) {
        synchronized (lock) {
            releaseExpired(nowMillis);
            if (reserved >= maxEntries) {
                return null;
            }
            Scope counter = scopes.get(scope);
            if (counter != null && counter.live >= maxPerScope) {
                return null;
            }
            if (counter == null) {
                counter = new Scope(scope);
                scopes.put(scope, counter);
            }
            counter.live++;
            reserved++;
            return counter;
        }
    }

    /** Keeps a reservation until {@code expiresAtMillis}: its entry is in the cache. */
    void recorded(Scope reservation, long expiresAtMillis) {
        synchronized (lock) {
            if (size == expiries.length) {
                grow();
            }
            int tail = (head + size) % expiries.length;
            owners[tail] = reservation;
            expiries[tail] = expiresAtMillis;
            size++;
        }
    }

    /** Gives a reservation back: its entry was not stored (a replay, or a failed cache). */
    void cancel(Scope reservation) {
        synchronized (lock) {
            release(reservation);
        }
    }

    /** @return the places taken now */
    int live() {
        synchronized (lock) {
            return reserved;
        }
    }

    private void releaseExpired(long nowMillis) {
        while (size > 0 && expiries[head] <= nowMillis) {
            Scope owner = owners[head];
            owners[head] = null;
            head = (head + 1) % expiries.length;
            size--;
            release(owner);
        }
    }

    private void release(Scope owner) {
        reserved--;
        if (--owner.live == 0) {
            scopes.remove(owner.name);
        }
    }

    private void grow() {
        int capacity = (int) Math.min(maxEntries, Math.max(INITIAL_RING, 2L * expiries.length));
        if (capacity <= expiries.length) {
            throw new IllegalStateException("replay budget ring is full");
        }
        Scope[] newOwners = new Scope[capacity];
        long[] newExpiries = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % expiries.length;
            newOwners[i] = owners[from];
            newExpiries[i] = expiries[from];
        }
        owners = newOwners;
        expiries = newExpiries;
        head = 0;
    }
}
