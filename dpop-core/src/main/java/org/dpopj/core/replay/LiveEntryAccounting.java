package org.dpopj.core.replay;

import org.dpopj.core.spi.ReplayStore;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Counts the live entries this node has put into a replay cache, globally and per scope, so that
 * the store can refuse new entries when full instead of letting the cache evict live ones, and
 * forgets each entry it recorded once it has expired: the one node-local budget of every replay
 * store of dpopj ({@link JCacheReplayStore} and the Infinispan store of {@code dpop-infinispan}),
 * public so that a {@link org.dpopj.core.spi.ReplayStore} of another module, or of a user, bounds
 * its cache the same way (<a href="https://www.rfc-editor.org/rfc/rfc9449#section-11.1">RFC 9449
 * §11.1</a>: a store that evicts a live {@code jti} lets its proof be replayed).
 *
 * <pre>{@code
 * LiveEntryAccounting accounting = new LiveEntryAccounting(maxEntries, maxPerScope, null,
 *         LiveEntryAccounting.loggingWatcher("cache replay", DPoPSettings.REPLAY_MAX_ENTRIES));
 * // REFUSED when full (503, nothing evicted), else FIRST_USE or REPLAYED as the cache's insert says
 * Outcome outcome = accounting.insert(scope, nowMillis, null, nowMillis + lifetimeMillis,
 *         () -> cache.putIfAbsent(key, value));
 * }</pre>
 *
 * <p>Recording an entry is two steps: {@link #reserve} takes a place (or answers {@code null} when
 * the store or the scope is full), and then either {@link #recorded} files the entry, or
 * {@link #cancel} gives the place back (a replay, or a failed cache). Filed entries sit in a ring of
 * three parallel arrays (the key's reference, shared with the cache, the scope's counter, and the
 * expiry in milliseconds): 16 bytes an entry with compressed references (12 without {@code forget}),
 * no object of its own.
 * Every entry lives equally long from its reservation, so the ring is in expiry order up to the
 * few entries that concurrent callers filed in another order; these are forgotten a little late,
 * never early. Expired entries are forgotten lazily, on the next reservation, without a thread:
 * their scope counts drop and {@code forget} is told their key (for a cache that, like Ehcache's
 * heap tier, expires entries only when they are read again, and would otherwise keep every
 * {@code jti} it was ever given). Memory is bounded: the ring grows by doubling up to
 * {@code maxEntries} and never holds more; the scope map never holds more scopes than places.
 *
 * <p>Crossing {@value #WARN_PERCENT}% of {@code maxEntries} tells the {@link Watcher} once; it is told
 * again only after the live count fell below {@value #REARM_PERCENT}%, so a store that hovers near
 * its bound is not reported on every request.
 *
 * <p>Thread-safe: every method runs under one lock, held only for in-memory work (and the
 * {@code forget} callback, which must be as quick).
 */
public final class LiveEntryAccounting {

    /** The share of {@code maxEntries}, in percent, whose crossing tells the {@link Watcher}. */
    public static final int WARN_PERCENT = 80;
    /** The share, in percent, below which the {@link Watcher} is told the store is clear again. */
    public static final int REARM_PERCENT = 70;
    private static final int INITIAL_RING = 1024;
    private static final System.Logger LOG = System.getLogger(JCacheReplayStore.class.getName());

    /**
     * Told when the store nears its bound, and when it is clear of it again; called under the
     * accounting's lock, so it must be quick and must not call back into the accounting.
     */
    public interface Watcher {
        /** The live count crossed {@value LiveEntryAccounting#WARN_PERCENT}% of the bound. */
        void nearlyFull(int live, int maxEntries);

        /** After {@link #nearlyFull}, the live count fell below {@value LiveEntryAccounting#REARM_PERCENT}%. */
        void clearAgain(int live, int maxEntries);
    }

    /**
     * The live count of one scope; also what {@link #reserve} hands back, to file or cancel the
     * reservation by. Opaque to callers.
     */
    public static final class Reservation {
        private final String name;
        private int live;

        private Reservation(String name) {
            this.name = name;
        }
    }

    private final int maxEntries;
    private final int maxPerScope;
    private final int warnAt;
    private final int rearmBelow;
    private final Consumer<Object> forget;
    private final Watcher watcher;
    private final Object lock = new Object();
    private final Map<String, Reservation> scopes = new HashMap<>();
    private int reserved;
    private boolean warned;
    private long nearlyFullWarnings;
    private long refusals;
    /** {@code null} without {@code forget}: a cache that expires its entries itself needs no key kept. */
    private Object[] keys;
    private Reservation[] owners = new Reservation[0];
    private long[] expiries = new long[0];
    private int head;
    private int size;

    /**
     * @param maxEntries the bound on live entries, positive
     * @param maxPerScope the bound on the live entries of one scope, positive; above
     *        {@code maxEntries} it is {@code maxEntries}
     * @param forget told the key of every filed entry once it expired, unless it was filed without
     *        one; called under the accounting's lock, so it must be quick. {@code null} for a cache
     *        that expires its entries itself: then no key is kept (4 bytes an entry less)
     * @param watcher told when the live count nears the bound and when it is clear again
     */
    public LiveEntryAccounting(int maxEntries, int maxPerScope, Consumer<Object> forget, Watcher watcher) {
        if (maxEntries <= 0 || maxPerScope <= 0) {
            throw new IllegalArgumentException("maxEntries and maxPerScope must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxPerScope = Math.min(maxPerScope, maxEntries);
        this.warnAt = (int) Math.max(1, (long) maxEntries * WARN_PERCENT / 100);
        this.rearmBelow = (int) ((long) maxEntries * REARM_PERCENT / 100);
        this.forget = forget;
        this.keys = forget == null ? null : new Object[0];
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    /**
     * @param store what the log lines name, e.g. {@code "on cache dpop-replay-70s"}
     * @param boundKey the setting that raises the bound, named in the warning
     * @return a watcher that logs one WARNING when the store nears its bound and one INFO when it
     *         is clear again
     */
    public static Watcher loggingWatcher(String store, String boundKey) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(boundKey, "boundKey");
        return new Watcher() {
            @Override
            public void nearlyFull(int live, int maxEntries) {
                LOG.log(Level.WARNING, "DPoP replay store {0} holds {1} of at most {2} live proofs (" + WARN_PERCENT
                        + "%); when full, new proofs get 503: raise " + boundKey + " or reduce the acceptance window",
                        store, live, maxEntries);
            }

            @Override
            public void clearAgain(int live, int maxEntries) {
                LOG.log(Level.INFO, "DPoP replay store {0} is below " + REARM_PERCENT + "% again: {1} of at most {2}"
                        + " live proofs", store, live, maxEntries);
            }
        };
    }

    /**
     * @param scope the entry's scope
     * @param nowMillis the current time, for the lazy purge
     * @return the reservation, or {@code null} when the store or the scope is full
     */
    public Reservation reserve(String scope, long nowMillis) {
        Objects.requireNonNull(scope, "scope");
        synchronized (lock) {
            purgeExpired(nowMillis);
            if (reserved >= maxEntries) {
                refusals++;
                return null;
            }
            Reservation counter = scopes.get(scope);
            if (counter != null && counter.live >= maxPerScope) {
                refusals++;
                return null;
            }
            if (counter == null) {
                counter = new Reservation(scope);
                scopes.put(scope, counter);
            }
            counter.live++;
            reserved++;
            if (!warned && reserved >= warnAt) {
                warned = true;
                nearlyFullWarnings++;
                watcher.nearlyFull(reserved, maxEntries);
            }
            return counter;
        }
    }

    /** An atomic insert into the replay cache. */
    @FunctionalInterface
    public interface Insert {
        /** @return {@code true} when the key was absent and is stored now, {@code false} when it was there */
        boolean putIfAbsent();
    }

    /**
     * Records one entry in the two steps below: takes a place for {@code scope}, runs {@code insert},
     * and files the entry until {@code expiresAtMillis} when it was stored, or gives the place back when
     * it was there already or {@code insert} threw (the exception passes through).
     *
     * @param key what {@code forget} is told once the entry has expired, or {@code null}
     * @return {@link ReplayStore.Outcome#REFUSED} when the store or the scope is full ({@code insert} is
     *     not run), else {@link ReplayStore.Outcome#FIRST_USE} or {@link ReplayStore.Outcome#REPLAYED}
     */
    public ReplayStore.Outcome insert(String scope, long nowMillis, Object key, long expiresAtMillis, Insert insert) {
        Objects.requireNonNull(insert, "insert");
        Reservation slot = reserve(scope, nowMillis);
        if (slot == null) {
            return ReplayStore.Outcome.REFUSED;
        }
        boolean added = false;
        try {
            added = insert.putIfAbsent();
        } finally {
            if (added) {
                recorded(slot, key, expiresAtMillis);
            } else {
                cancel(slot);
            }
        }
        return added ? ReplayStore.Outcome.FIRST_USE : ReplayStore.Outcome.REPLAYED;
    }

    /**
     * Files a reserved entry until {@code expiresAtMillis}; {@code key} is what {@code forget} is told,
     * or {@code null} when the cache needs no telling.
     */
    public void recorded(Reservation reservation, Object key, long expiresAtMillis) {
        Objects.requireNonNull(reservation, "reservation");
        synchronized (lock) {
            if (key != null && keys == null) {
                throw new IllegalArgumentException("an accounting without forget keeps no keys");
            }
            if (size == expiries.length) {
                grow();
            }
            int tail = (head + size) % expiries.length;
            if (keys != null) {
                keys[tail] = key;
            }
            owners[tail] = reservation;
            expiries[tail] = expiresAtMillis;
            size++;
        }
    }

    /** Gives a reserved place back, when its entry was not stored. */
    public void cancel(Reservation reservation) {
        Objects.requireNonNull(reservation, "reservation");
        synchronized (lock) {
            release(reservation);
        }
    }

    /** @return the places taken now, filed or reserved (expired ones count until the next reservation) */
    public int live() {
        synchronized (lock) {
            return reserved;
        }
    }

    /**
     * @return the places taken, the bound, how often the live count crossed the warning level and how
     *     often {@link #reserve} refused, since this accounting was made: what {@link ReplayStore#usage()} reports
     */
    public ReplayStore.Usage usage() {
        synchronized (lock) {
            return new ReplayStore.Usage(reserved, maxEntries, nearlyFullWarnings, refusals);
        }
    }

    /** @return the bound on live entries */
    public int maxEntries() {
        return maxEntries;
    }

    /** @return the bound on the live entries of one scope */
    public int maxPerScope() {
        return maxPerScope;
    }

    private void purgeExpired(long nowMillis) {
        while (size > 0 && expiries[head] <= nowMillis) {
            Object key = keys == null ? null : keys[head];
            Reservation owner = owners[head];
            if (keys != null) {
                keys[head] = null;
            }
            owners[head] = null;
            head = (head + 1) % expiries.length;
            size--;
            release(owner);
            if (key != null) {
                forget.accept(key);
            }
        }
        if (warned && reserved < rearmBelow) {
            warned = false;
            watcher.clearAgain(reserved, maxEntries);
        }
    }

    private void release(Reservation owner) {
        reserved--;
        if (--owner.live == 0) {
            scopes.remove(owner.name);
        }
    }

    private void grow() {
        int capacity = (int) Math.min(maxEntries, Math.max(INITIAL_RING, 2L * expiries.length));
        if (capacity <= expiries.length) {
            // cannot happen: filed entries never outnumber reservations, which never exceed maxEntries
            throw new IllegalStateException("replay accounting ring is full");
        }
        Object[] newKeys = keys == null ? null : new Object[capacity];
        Reservation[] newOwners = new Reservation[capacity];
        long[] newExpiries = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % expiries.length;
            if (keys != null) {
                newKeys[i] = keys[from];
            }
            newOwners[i] = owners[from];
            newExpiries[i] = expiries[from];
        }
        keys = newKeys;
        owners = newOwners;
        expiries = newExpiries;
        head = 0;
    }
}
