package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.ehcache.config.SizedResourcePool;
import org.ehcache.config.ResourceType;
import org.ehcache.config.units.EntryUnit;
import org.junit.jupiter.api.Test;

class EhcacheReplayStoreTest extends JCacheReplayStoreContractTest {

    @Override
    protected String providerClassName() {
        return JCacheReplayStore.EHCACHE_PROVIDER;
    }

    @Override
    protected JCacheReplayStoreBuilder configure(JCacheReplayStoreBuilder builder) {
        return builder.providerClassName(JCacheReplayStore.EHCACHE_PROVIDER);
    }

    @Override
    protected boolean forgetsOnTheProvidersClock() {
        return false;
    }

    private JCacheReplayStoreBuilder builder(String cacheName) {
        return configure(JCacheReplayStore.builder()).cacheName(cacheName).entryLifetime(WINDOW).clock(clock);
    }

    @Test
    void isNotClusterWide() {
        try (JCacheReplayStore store = build(builder(uniqueCacheName()))) {
            assertThat(store.isClusterWide()).isFalse();
        }
    }

    @Test
    void createsACacheOfBucketsByReferenceWithoutAnExpiryOfItsOwn() {
        String name = uniqueCacheName();
        build(builder(name).entryLifetime(Duration.ofMillis(60_500)));

        CompleteConfiguration<?, ?> configuration = configurationOf(cacheManager().getCache(name));

        assertThat(configuration.getKeyType()).isEqualTo(Long.class);
        assertThat(configuration.getValueType()).isEqualTo(ReplayBucket.class);
        assertThat(configuration.getExpiryPolicyFactory().create().getExpiryForCreation().isEternal()).isTrue();
        assertThat(configuration.isStoreByValue()).isFalse();
        assertThat(configuration.isStatisticsEnabled()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static CompleteConfiguration<?, ?> configurationOf(Cache<?, ?> cache) {
        return cache.getConfiguration(CompleteConfiguration.class);
    }

    @Test
    void createsCacheWithoutAnEntryBoundOfItsOwn() {
        String name = uniqueCacheName();
        build(builder(name));

        org.ehcache.Cache<?, ?> ehcache = cacheManager().getCache(name).unwrap(org.ehcache.Cache.class);
        SizedResourcePool heap = ehcache.getRuntimeConfiguration().getResourcePools()
                .getPoolForResource(ResourceType.Core.HEAP);

        assertThat(heap.getUnit()).isEqualTo(EntryUnit.ENTRIES);
        assertThat(heap.getSize()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void packsAStoresEntriesIntoBucketsPlannedForFortyEightEntriesEach() {
        String name = uniqueCacheName();
        try (JCacheReplayStore store = build(builder(name).maxEntries(4_800).maxSharePerScope(1))) {
            for (int i = 0; i < 4_800; i++) {
                assertThat(store.markUsed("scope-a", "key-" + i, expiry())).isEqualTo(Outcome.FIRST_USE);
            }

            Cache<Long, ReplayBucket> cache = cacheManager().getCache(name, Long.class, ReplayBucket.class);
            assertThat(cache.get(ReplayBuckets.LAYOUT_KEY).layoutBuckets()).isEqualTo(100);
            int held = 0;
            for (long bucket = 0; bucket < 100; bucket++) {
                ReplayBucket found = cache.get(bucket);
                held += found == null ? 0 : found.size();
            }
            assertThat(held).isEqualTo(4_800);
        }
    }

    @Test
    void sharesACacheOfBucketsAnotherStoreCreated() {
        String name = uniqueCacheName();
        try (JCacheReplayStore first = build(builder(name)); JCacheReplayStore second = build(builder(name))) {
            first.markUsed("scope-a", "key-1", expiry());

            assertThat(second.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
        }
    }

    @Test
    void usesAnExistingCacheAsItIsAndLeavesItOpenOnClose() {
        String name = uniqueCacheName();
        Cache<String, Long> existing = cacheManager().createCache(name, new MutableConfiguration<String, Long>()
                .setTypes(String.class, Long.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.TEN_MINUTES)));
        JCacheReplayStore store = build(builder(name));

        assertThat(store.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(existing.containsKey(ReplayKeys.shortKey("key-1"))).isTrue();
        store.close();
        assertThat(existing.isClosed()).isFalse();
        CompleteConfiguration<?, ?> configuration = configurationOf(existing);
        assertThat(configuration.getExpiryPolicyFactory().create().getExpiryForCreation())
                .isEqualTo(javax.cache.expiry.Duration.TEN_MINUTES);
    }

    @Test
    void closesTheCacheItCreatedButNotTheCacheManager() {
        String name = uniqueCacheName();
        JCacheReplayStore store = build(builder(name));

        store.close();

        assertThat(cacheManager().isClosed()).isFalse();
        assertThat(cacheManager().getCache(name)).isNull();
    }

    @Test
    void rejectsAnExistingCacheThatExpiresSoonerThanTheEntryLifetime() {
        String name = uniqueCacheName();
        cacheManager().createCache(name, new MutableConfiguration<String, Long>()
                .setTypes(String.class, Long.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_MINUTE)));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> build(builder(name).entryLifetime(Duration.ofSeconds(61))))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }

    @Test
    void rejectsAnExistingCacheThatCannotHoldItsEntries() {
        String name = uniqueCacheName();
        cacheManager().createCache(name, new MutableConfiguration<Integer, Long>().setTypes(Integer.class, Long.class));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> build(builder(name)))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }

    @Test
    void aFloodOfUniqueProofsFillsTheMemoryBudgetAndThenIsRefusedWithoutLosingAnyLiveEntry() {
        int capacity = (int) (1024 * 1024 / JCacheReplayStore.BYTES_PER_ENTRY);
        try (JCacheReplayStore store = build(builder(uniqueCacheName()).maxMemory(1024 * 1024).maxSharePerScope(1))) {
            int accepted = 0;
            for (int i = 0; i < 2 * capacity; i++) {
                accepted += store.markUsed("scope-" + (i % 10), "jti-" + i, expiry()) == Outcome.FIRST_USE ? 1 : 0;
            }
            // the store is full: even a replay is refused, never accepted
            assertThat(accepted).isEqualTo(capacity);
            for (int i = 0; i < capacity; i++) {
                assertThat(store.markUsed("scope-" + (i % 10), "jti-" + i, expiry())).isNotEqualTo(Outcome.FIRST_USE);
            }

            clock.advance(WINDOW.plusSeconds(2));
            for (int i = 0; i < capacity; i++) {
                assertThat(store.markUsed("scope-" + (i % 10), "after-" + i, expiry())).isEqualTo(Outcome.FIRST_USE);
            }
        }
    }

    @Test
    void neverClosesTheCacheManagerUnderAStoreThatIsOpeningACacheOnIt() throws InterruptedException {
        JCacheReplayStore closingStore = build(builder(uniqueCacheName()));
        CacheManager manager = cacheManager();
        String opening = uniqueCacheName();
        Thread closing = new Thread(closingStore::close, "closing store");

        // what a store opening its cache holds, from finding the manager open to creating the cache
        synchronized (manager) {
            closing.start();
            awaitBlockedOrDone(closing);
            manager.createCache(opening, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        }
        closing.join();

        assertThat(manager.isClosed()).isFalse();
        assertThat(manager.getCache(opening, String.class, Long.class).isClosed()).isFalse();
    }

    /**
     * Waits, without a time limit of its own, until {@code thread} waits for a monitor (the manager's,
     * the only one the closing store takes) or ends.
     */
    private static void awaitBlockedOrDone(Thread thread) {
        Thread.State state = thread.getState();
        while (state != Thread.State.BLOCKED && state != Thread.State.TERMINATED) {
            Thread.onSpinWait();
            state = thread.getState();
        }
    }
}
