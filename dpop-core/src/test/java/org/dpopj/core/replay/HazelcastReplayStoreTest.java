package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real embedded Hazelcast member, through Hazelcast's JCache member provider. */
class HazelcastReplayStoreTest extends JCacheReplayStoreContractTest {

    private static HazelcastInstance member;

    @BeforeAll
    static void startMember() {
        member = HazelcastMembers.start(HazelcastMembers.uniqueClusterName());
    }

    @AfterAll
    static void stopMember() {
        if (member != null) {
            member.shutdown();
        }
        HazelcastMembers.assertNoneRunning();
    }

    @Override
    protected String providerClassName() {
        return HazelcastMembers.PROVIDER;
    }

    @Override
    protected JCacheReplayStoreBuilder configure(JCacheReplayStoreBuilder builder) {
        return builder.providerClassName(HazelcastMembers.PROVIDER)
                .cacheManagerProperties(HazelcastMembers.managerProperties(member));
    }

    @Override
    protected Properties managerProperties(CachingProvider provider) {
        return HazelcastMembers.managerProperties(member);
    }

    @Test
    void isClusterWide() {
        try (JCacheReplayStore store = build(configure(JCacheReplayStore.builder())
                .cacheName(uniqueCacheName()).entryLifetime(WINDOW).clock(clock))) {
            assertThat(store.isClusterWide()).isTrue();
        }
    }

    @Test
    void createsAMissingCacheThatExpiresAfterTheWindowAndNeverEvicts() {
        String name = "created-" + uniqueCacheName();
        try (JCacheReplayStore store = build(configure(JCacheReplayStore.builder())
                .cacheName(name).entryLifetime(WINDOW.plusMillis(300)).clock(clock))) {
            CacheConfig<?, ?> config = cacheConfig(name);

            javax.cache.expiry.Duration creation = config.getExpiryPolicyFactory().create().getExpiryForCreation();
            assertThat(creation.getTimeUnit().toSeconds(creation.getDurationAmount())).isEqualTo(WINDOW.getSeconds() + 1);
            assertThat(config.getEvictionConfig().getMaxSizePolicy()).isEqualTo(MaxSizePolicy.ENTRY_COUNT);
            assertThat(config.getEvictionConfig().getSize()).isEqualTo(Integer.MAX_VALUE);
            assertThat(config.getBackupCount()).isEqualTo(1);
            assertThat(store.markUsed("scope", "key-1", clock.instant().plus(WINDOW))).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope", "key-1", clock.instant().plus(WINDOW))).isEqualTo(Outcome.REPLAYED);
        }
    }

    @Test
    void createsItsCacheWithValuesKeptAsObjectsAndShortKeys() {
        String name = "created-" + uniqueCacheName();
        try (JCacheReplayStore store = build(configure(JCacheReplayStore.builder())
                .cacheName(name).entryLifetime(WINDOW).clock(clock))) {
            store.markUsed("scope", "key-1", clock.instant().plus(WINDOW));

            assertThat(cacheConfig(name).getInMemoryFormat()).isEqualTo(com.hazelcast.config.InMemoryFormat.OBJECT);
            assertThat(cacheManager().getCache(name).containsKey(ReplayKeys.shortKey("key-1"))).isTrue();
        }
    }

    @Test
    void refusesAnExistingCacheWithHazelcastsDefaultEviction() {
        String name = "defaults-" + uniqueCacheName();
        CacheManager manager = cacheManager();
        manager.createCache(name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        try {
            JCacheReplayStoreBuilder builder = configure(JCacheReplayStore.builder())
                    .cacheName(name).entryLifetime(WINDOW).clock(clock);

            assertThatExceptionOfType(DPoPConfigurationException.class)
                    .isThrownBy(() -> build(builder))
                    .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_CACHE))
                    .withMessageContaining("evicts entries");
        } finally {
            manager.destroyCache(name);
        }
    }

    @Test
    void refusesAnExistingCacheWithoutABackup() {
        String name = "no-backup-" + uniqueCacheName();
        CacheManager manager = cacheManager();
        CacheConfig<String, Long> config = new CacheConfig<String, Long>(name).setBackupCount(0);
        config.setTypes(String.class, Long.class);
        config.setEvictionConfig(new EvictionConfig().setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(Integer.MAX_VALUE));
        manager.createCache(name, config);
        try {
            JCacheReplayStoreBuilder builder = configure(JCacheReplayStore.builder())
                    .cacheName(name).entryLifetime(WINDOW).clock(clock);

            assertThatExceptionOfType(DPoPConfigurationException.class)
                    .isThrownBy(() -> build(builder))
                    .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_CACHE))
                    .withMessageContaining("backup");
        } finally {
            manager.destroyCache(name);
        }
    }

    @Test
    void failsClosedOnANodeThatSeesFewerMembersThanRequired() {
        try (JCacheReplayStore store = build(configure(JCacheReplayStore.builder())
                .cacheName(uniqueCacheName()).entryLifetime(WINDOW).clock(clock).minClusterMembers(2))) {

            assertThatExceptionOfType(ReplayStoreUnavailableException.class)
                    .isThrownBy(() -> store.markUsed("scope", "key-1", clock.instant().plus(WINDOW)));
        }
    }

    @Test
    void refusesAMinimumOfMembersWithANodeLocalProvider() {
        JCacheReplayStoreBuilder builder = JCacheReplayStore.builder().entryLifetime(WINDOW).minClusterMembers(2);

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(builder::build)
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_MIN_MEMBERS));
    }

    @SuppressWarnings("unchecked")
    private CacheConfig<?, ?> cacheConfig(String name) {
        return cacheManager().getCache(name).getConfiguration(CacheConfig.class);
    }
}
