package org.dpopj.core.replay;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.dpopj.core.DPoPConfigurationException;

/**
 * Builds a {@link JCacheReplayStore}. Not thread-safe; {@link #build()} may be called more than
 * once, and each call opens its own store.
 */
public final class JCacheReplayStoreBuilder {

    String providerClassName = JCacheReplayStore.EHCACHE_PROVIDER;
    String cacheName = JCacheReplayStore.DEFAULT_CACHE_NAME;
    URI cacheManagerUri;
    ClassLoader classLoader;
    Properties cacheManagerProperties;
    Duration entryLifetime;
    long maxMemory = JCacheReplayStore.DEFAULT_MAX_MEMORY_MB * 1024L * 1024L;
    int maxEntries;
    double maxSharePerScope = JCacheReplayStore.DEFAULT_MAX_SHARE_PER_SCOPE;
    int maxPerScope;
    int minClusterMembers = 1;
    Clock clock = Clock.systemUTC();

    JCacheReplayStoreBuilder() {
    }

    /**
     * @param providerClassName the JCache provider's class name, or
     *        {@value JCacheReplayStore#PAYARA_PROVIDER} for Payara's data grid; default
     *        {@value JCacheReplayStore#EHCACHE_PROVIDER}
     * @return this builder
     */
    public JCacheReplayStoreBuilder providerClassName(String providerClassName) {
        this.providerClassName = requireText(providerClassName, "providerClassName");
        return this;
    }

    /**
     * @param cacheName the cache's name; default {@value JCacheReplayStore#DEFAULT_CACHE_NAME}
     * @return this builder
     */
    public JCacheReplayStoreBuilder cacheName(String cacheName) {
        this.cacheName = requireText(cacheName, "cacheName");
        return this;
    }

    /**
     * @param cacheManagerUri the cache manager's URI; default the provider's default URI. Ehcache
     *        reads any other URI as an XML configuration.
     * @return this builder
     */
    public JCacheReplayStoreBuilder cacheManagerUri(URI cacheManagerUri) {
        this.cacheManagerUri = Objects.requireNonNull(cacheManagerUri, "cacheManagerUri");
        return this;
    }

    /**
     * @param classLoader the cache manager's class loader; default the provider's own default
     *        class loader, which every node of a Hazelcast cluster must share
     * @return this builder
     */
    public JCacheReplayStoreBuilder classLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        return this;
    }

    /**
     * @param cacheManagerProperties provider-specific properties for the cache manager, e.g.
     *        Hazelcast's {@code hazelcast.instance.name}; default the provider's defaults. The
     *        provider reads them only when it first creates the manager for that URI and class
     *        loader.
     * @return this builder
     */
    public JCacheReplayStoreBuilder cacheManagerProperties(Properties cacheManagerProperties) {
        Objects.requireNonNull(cacheManagerProperties, "cacheManagerProperties");
        Properties copy = new Properties();
        copy.putAll(cacheManagerProperties);
        this.cacheManagerProperties = copy;
        return this;
    }

    /**
     * @param entryLifetime how long an entry must be remembered, at least the validator's
     *        acceptance window; required, positive
     * @return this builder
     */
    public JCacheReplayStoreBuilder entryLifetime(Duration entryLifetime) {
        Objects.requireNonNull(entryLifetime, "entryLifetime");
        if (entryLifetime.isNegative() || entryLifetime.isZero()) {
            throw new IllegalArgumentException("entryLifetime must be positive");
        }
        this.entryLifetime = entryLifetime;
        return this;
    }

    /**
     * @param maxMemory the heap the live entries recorded by this node may fill, in bytes; the
     *        entry bound is this divided by {@value JCacheReplayStore#BYTES_PER_ENTRY}. Default
     *        {@value JCacheReplayStore#DEFAULT_MAX_MEMORY_MB} MB; {@link #maxEntries} overrides it.
     * @return this builder
     */
    public JCacheReplayStoreBuilder maxMemory(long maxMemory) {
        if (maxMemory < JCacheReplayStore.BYTES_PER_ENTRY) {
            throw new IllegalArgumentException("maxMemory must hold at least one entry of " + JCacheReplayStore.BYTES_PER_ENTRY
                    + " bytes");
        }
        this.maxMemory = maxMemory;
        return this;
    }

    /**
     * @param maxEntries the bound on live entries recorded by this node; overrides {@link #maxMemory}
     * @return this builder
     */
    public JCacheReplayStoreBuilder maxEntries(int maxEntries) {
        this.maxEntries = requirePositive(maxEntries, "maxEntries");
        return this;
    }

    /**
     * @param maxSharePerScope the share of the entry bound that one scope (proof key, or client at
     *        a token endpoint) may hold, above 0 and at most 1; default
     *        {@value JCacheReplayStore#DEFAULT_MAX_SHARE_PER_SCOPE}; {@link #maxPerScope} overrides it
     * @return this builder
     */
    public JCacheReplayStoreBuilder maxSharePerScope(double maxSharePerScope) {
        if (!(maxSharePerScope > 0 && maxSharePerScope <= 1)) {
            throw new IllegalArgumentException("maxSharePerScope must be above 0 and at most 1");
        }
        this.maxSharePerScope = maxSharePerScope;
        return this;
    }

    /**
     * @param maxPerScope the bound on live entries per scope recorded by this node; overrides
     *        {@link #maxSharePerScope}
     * @return this builder
     */
    public JCacheReplayStoreBuilder maxPerScope(int maxPerScope) {
        this.maxPerScope = requirePositive(maxPerScope, "maxPerScope");
        return this;
    }

    /**
     * @param minClusterMembers with Hazelcast, the number of cluster members this node must see for
     *        the store to answer: below it (a node cut off from its cluster, a split brain's
     *        minority) every call fails with {@link ReplayStoreUnavailableException}, so no proof is
     *        accepted on a side of the split that cannot see the other side's entries. Default 1
     *        (no bound); above 1 with another provider, {@link #build()} fails
     * @return this builder
     */
    public JCacheReplayStoreBuilder minClusterMembers(int minClusterMembers) {
        this.minClusterMembers = requirePositive(minClusterMembers, "minClusterMembers");
        return this;
    }

    /**
     * @param bytesPerEntry what one live entry costs in the cache opened
     * @return the entry bound: {@link #maxEntries} if set, else what {@link #maxMemory} holds
     */
    int effectiveMaxEntries(int bytesPerEntry) {
        return maxEntries > 0 ? maxEntries : (int) Math.min(Integer.MAX_VALUE, maxMemory / bytesPerEntry);
    }

    /** @return the bound per scope: {@link #maxPerScope} if set, else the share of {@code entries} */
    int effectiveMaxPerScope(int entries) {
        return maxPerScope > 0 ? maxPerScope : (int) Math.max(1, Math.ceil(entries * maxSharePerScope));
    }

    /**
     * @param clock the clock for the accounting only; the cache expires entries on the
     *        provider's own clock. Default {@link Clock#systemUTC()}.
     * @return this builder
     */
    public JCacheReplayStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Opens the cache manager and finds or (with Ehcache) creates the cache.
     *
     * @return the store
     * @throws IllegalStateException when no entry lifetime was set
     * @throws DPoPConfigurationException when the provider, the cache manager or the cache is
     *         unusable, naming the {@code dpop.replay.*} key at fault
     */
    public JCacheReplayStore build() {
        if (entryLifetime == null) {
            throw new IllegalStateException("entryLifetime is required: pass the acceptance window");
        }
        Duration lifetime = roundUpToSeconds(entryLifetime);
        ReplayCaches.Opened opened = ReplayCaches.open(new ReplayCaches.Request(providerClassName, cacheName,
                cacheManagerUri, classLoader, cacheManagerProperties, entryLifetime, lifetime, minClusterMembers,
                effectiveMaxEntries(JCacheReplayStore.BYTES_PER_KEYED_ENTRY)));
        return new JCacheReplayStore(opened, this, lifetime);
    }

    private static Duration roundUpToSeconds(Duration duration) {
        return duration.getNano() == 0 ? duration : Duration.ofSeconds(duration.getSeconds() + 1);
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private static int requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
