package org.dpopj.infinispan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.replay.LiveEntryAccounting;
import org.dpopj.core.replay.ReplayKeys;
import org.dpopj.core.replay.ReplayStoreUnavailableException;
import org.dpopj.core.spi.ReplayStore;
import org.infinispan.Cache;

/**
 * A {@link ReplayStore} on an Infinispan cache that the server defines and shares between its
 * nodes (WildFly's {@code infinispan} subsystem: a synchronous {@code replicated-cache} or
 * {@code distributed-cache}). Each replay key is recorded with one atomic
 * {@code putIfAbsent(key, value, lifespan, -1)}, with a value of its own per call (see
 * {@link #uniqueValue()}): the entry carries the whole acceptance window as
 * its own lifespan and no max-idle, whatever the cache's defaults, so a {@code jti} is accepted once
 * in the cluster within the window (RFC 9449 §11.1).
 *
 * <pre>{@code
 * InfinispanReplayStore store = InfinispanReplayStore.builder()
 *         .cache(cache)                               // e.g. @Resource(lookup = "java:jboss/infinispan/cache/dpop/replay")
 *         .entryLifetime(acceptanceWindow)
 *         .build();                                   // refuses a cache that could forget or evict early
 * }</pre>
 *
 * <h2>What the cache must be</h2>
 * The build refuses, with a {@link DPoPConfigurationException} naming {@value DPoPSettings#REPLAY_JNDI},
 * a cache whose insert is not atomic on every owner before it returns (asynchronous or invalidation
 * mode, transactions or batching), whose default lifespan is shorter than the window or that has a
 * max-idle, and one that evicts by memory size or by an entry count below {@code maxEntries}. It warns
 * about a local cache (replays across nodes go unseen), about one that accepts writes while the
 * cluster is split ({@code when-split} other than {@code DENY_READ_WRITES} or {@code ALLOW_READS}), and
 * about a distributed cache with a single owner.
 *
 * <h2>Bounds and failure</h2>
 * Each node counts the live entries it put into the cache, at most {@code maxEntries} in all and
 * {@code maxPerScope} per proof key; beyond either, the answer is {@link Outcome#REFUSED} (503), and
 * nothing is evicted. Size a shared cache for {@code maxEntries} times the number of nodes. Any
 * exception from the cache (a timeout, a node in a degraded partition denying writes, a stopped
 * cache) becomes a {@link ReplayStoreUnavailableException}, which the validator answers with 503:
 * never a {@link Outcome#FIRST_USE}.
 *
 * <p>The cache belongs to the server: {@link #close()} only stops this store. Thread-safe; no thread,
 * no static state.
 */
public final class InfinispanReplayStore implements ReplayStore, AutoCloseable {

    /** The JNDI name of the cache {@code replay} of the cache container {@code dpop}, the default. */
    public static final String DEFAULT_JNDI_NAME = "java:jboss/infinispan/cache/dpop/replay";
    /** The default bound on this node's live entries. */
    public static final int DEFAULT_MAX_ENTRIES = 400_000;
    /** The default share of {@code maxEntries} one proof key may hold. */
    public static final double DEFAULT_MAX_SHARE_PER_SCOPE = 0.5;

    private final Cache<String, Long> cache;
    private final String cacheName;
    private final long lifespanMillis;
    private final Duration entryLifetime;
    private final Clock clock;
    private final LiveEntryAccounting budget;
    private volatile boolean closed;

    private InfinispanReplayStore(Builder builder) {
        this.cache = builder.cache;
        this.cacheName = builder.cache.getName();
        this.entryLifetime = builder.entryLifetime;
        this.lifespanMillis = builder.entryLifetime.toMillis();
        this.clock = builder.clock;
        int perScope = builder.maxPerScope > 0 ? builder.maxPerScope
                : (int) Math.max(1, Math.floor(builder.maxEntries * DEFAULT_MAX_SHARE_PER_SCOPE));
        // the cache forgets entries itself (each carries its lifespan): the accounting only counts them
        this.budget = new LiveEntryAccounting(builder.maxEntries, perScope, null,
                LiveEntryAccounting.loggingWatcher("on Infinispan cache " + cacheName, DPoPSettings.REPLAY_MAX_ENTRIES));
    }

    /** @return a builder; {@link Builder#cache} and {@link Builder#entryLifetime} are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code expiresAt} is later than now plus the entry lifetime
     * @throws ReplayStoreUnavailableException when the cache fails or this store is closed
     */
    @Override
    public Outcome markUsed(String scope, String key, Instant expiresAt) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (closed) {
            throw new ReplayStoreUnavailableException("replay store on Infinispan cache " + cacheName + " is closed", null);
        }
        Instant now = clock.instant();
        if (expiresAt.isAfter(now.plus(entryLifetime))) {
            throw new IllegalArgumentException("expiresAt is later than now plus the entry lifetime " + entryLifetime);
        }
        long nowMillis = now.toEpochMilli();
        return budget.insert(scope, nowMillis, null, nowMillis + lifespanMillis, () -> put(cacheKey(key)));
    }

    /** @return whether {@code cacheKey} was absent and is stored now, for the store's lifespan */
    private boolean put(String cacheKey) {
        try {
            return cache.putIfAbsent(cacheKey, uniqueValue(), lifespanMillis, TimeUnit.MILLISECONDS,
                    -1, TimeUnit.MILLISECONDS) == null;
        } catch (RuntimeException e) {
            throw new ReplayStoreUnavailableException("replay cache " + cacheName + " failed: " + e.getClass().getName(), e);
        }
    }

    /** @return the key an entry is stored under: {@link ReplayKeys#shortKey}, 96 bits in 16 characters */
    static String cacheKey(String key) {
        return ReplayKeys.shortKey(key);
    }

    /**
     * @return the entry's value: a random number, different for every call. Infinispan retries a
     *     write whose primary owner left during a topology change (a node stopping), and a retried
     *     conditional write that finds the very value it would write concludes that its first attempt
     *     wrote it, and reports success. A value shared by two requests (their expiry, say) would make
     *     a replay that meets a retry pass as a first use: measured on two WildFly nodes, a proof spent
     *     on one node was accepted on the other while the first stopped. A value of its own per call
     *     makes the retry find another request's value, which it reports, and the replay is refused.
     */
    private static Long uniqueValue() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** @return whether the cache is clustered (replicated or distributed) */
    @Override
    public boolean isClusterWide() {
        return cache.getCacheConfiguration().clustering().cacheMode().isClustered();
    }

    /** @return this node's live entries, its bound, its 80% warnings and its refusals */
    @Override
    public Optional<Usage> usage() {
        return Optional.of(budget.usage());
    }

    /** @return this node's live entries, as counted for its bound */
    public int liveEntries() {
        return budget.live();
    }

    /** Stops this store; the server's cache stays as it is. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    /** Builds an {@link InfinispanReplayStore}. Not thread-safe; the store it builds is. */
    public static final class Builder {
        private Cache<String, Long> cache;
        private Duration entryLifetime;
        private Clock clock = Clock.systemUTC();
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private int maxPerScope;

        private Builder() {
        }

        /** @param cache the server's cache, with {@code String} keys and {@code Long} values */
        @SuppressWarnings("unchecked")
        public Builder cache(Cache<?, ?> cache) {
            this.cache = (Cache<String, Long>) Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** @param lifetime how long each entry is remembered: the validator's acceptance window */
        public Builder entryLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("entry lifetime must be positive");
            }
            this.entryLifetime = lifetime;
            return this;
        }

        /** @param clock the clock of the node's accounting */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param max this node's live entries at most; default {@value #DEFAULT_MAX_ENTRIES} */
        public Builder maxEntries(int max) {
            if (max <= 0) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_ENTRIES, "must be positive");
            }
            this.maxEntries = max;
            return this;
        }

        /** @param max one proof key's live entries at most; default half of {@code maxEntries} */
        public Builder maxPerScope(int max) {
            if (max <= 0) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_PER_KEY, "must be positive");
            }
            this.maxPerScope = max;
            return this;
        }

        /**
         * @return the store
         * @throws DPoPConfigurationException naming {@value DPoPSettings#REPLAY_JNDI} when the cache
         *     cannot guarantee an atomic insert, an expiry covering the window, and no eviction of live entries
         */
        public InfinispanReplayStore build() {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(entryLifetime, "entryLifetime");
            CacheRequirements.check(DPoPSettings.REPLAY_JNDI, cache.getName(), cache.getCacheConfiguration(),
                    entryLifetime, maxEntries);
            return new InfinispanReplayStore(this);
        }
    }
}
