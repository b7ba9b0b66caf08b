package org.dpopj.core.replay;

import org.dpopj.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.junit.jupiter.api.Test;

class JCacheReplayStoreBuilderTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private final Instant expiry = clock.instant().plus(WINDOW);

    private static String uniqueCacheName() {
        return "dpop-replay-" + UUID.randomUUID();
    }

    /** @return a store from these settings, on a cache of its own */
    private JCacheReplayStore storeFrom(String... keysAndValues) {
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        values.put(DPoPSettings.REPLAY_CACHE, uniqueCacheName());
        return JCacheReplayStore.fromSettings(DPoPSettings.from(values), WINDOW, clock);
    }

    @Test
    void requiresAnEntryLifetime() {
        assertThatIllegalStateException().isThrownBy(() -> JCacheReplayStore.builder().build());
    }

    @Test
    void rejectsANonPositiveEntryLifetime() {
        assertThatIllegalArgumentException().isThrownBy(() -> JCacheReplayStore.builder().entryLifetime(Duration.ZERO));
    }

    @Test
    void rejectsNonPositiveBounds() {
        assertThatIllegalArgumentException().isThrownBy(() -> JCacheReplayStore.builder().maxEntries(0));
        assertThatIllegalArgumentException().isThrownBy(() -> JCacheReplayStore.builder().maxPerScope(-1));
    }

    @Test
    void fromSettingsDefaultsToANodeLocalEhcacheStore() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_CACHE, uniqueCacheName()));

        try (JCacheReplayStore store = JCacheReplayStore.fromSettings(settings, WINDOW, clock)) {
            assertThat(store.isClusterWide()).isFalse();
            assertThat(store.markUsed("scope-a", "key-1", clock.instant().plus(WINDOW))).isEqualTo(Outcome.FIRST_USE);
        }
    }

    @Test
    void fromSettingsReadsTheBounds() {
        DPoPSettings settings = DPoPSettings.from(Map.of(
                DPoPSettings.REPLAY_PROVIDER, JCacheReplayStore.EHCACHE_PROVIDER,
                DPoPSettings.REPLAY_CACHE, uniqueCacheName(),
                DPoPSettings.REPLAY_MAX_ENTRIES, "3",
                DPoPSettings.REPLAY_MAX_PER_KEY, "1"));
        Instant expiry = clock.instant().plus(WINDOW);

        try (JCacheReplayStore store = JCacheReplayStore.fromSettings(settings, WINDOW, clock)) {
            assertThat(store.markUsed("scope-a", "key-1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-2", expiry)).isEqualTo(Outcome.REFUSED);
            assertThat(store.markUsed("scope-b", "key-3", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-c", "key-4", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-d", "key-5", expiry)).isEqualTo(Outcome.REFUSED);
        }
    }

    @Test
    void fromSettingsSizesTheStoreByMemoryAndGivesOneKeyHalfOfIt() {
        try (JCacheReplayStore store = storeFrom(DPoPSettings.REPLAY_MAX_MEMORY,
                String.valueOf(4 * JCacheReplayStore.BYTES_PER_ENTRY + 1))) {
            assertThat(store.markUsed("scope-a", "key-a0", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-a1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-a2", expiry)).isEqualTo(Outcome.REFUSED);
            assertThat(store.markUsed("scope-b", "key-b0", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-b", "key-b1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-c", "key-c0", expiry)).isEqualTo(Outcome.REFUSED);
        }
    }

    @Test
    void fromSettingsReadsTheShareOfOneKey() {
        try (JCacheReplayStore store = storeFrom(DPoPSettings.REPLAY_MAX_ENTRIES, "10",
                DPoPSettings.REPLAY_MAX_SHARE_PER_KEY, "0.2")) {
            assertThat(store.markUsed("scope-a", "key-1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-2", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-3", expiry)).isEqualTo(Outcome.REFUSED);
        }
    }

    @Test
    void fromSettingsLetsMaxEntriesOverrideMaxMemory() {
        try (JCacheReplayStore store = storeFrom(DPoPSettings.REPLAY_MAX_MEMORY, "1GB",
                DPoPSettings.REPLAY_MAX_ENTRIES, "2", DPoPSettings.REPLAY_MAX_SHARE_PER_KEY, "1")) {
            assertThat(store.markUsed("scope-a", "key-1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-2", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-b", "key-3", expiry)).isEqualTo(Outcome.REFUSED);
        }
    }

    @Test
    void fromSettingsLetsMaxPerKeyOverrideTheShare() {
        try (JCacheReplayStore store = storeFrom(DPoPSettings.REPLAY_MAX_ENTRIES, "10",
                DPoPSettings.REPLAY_MAX_SHARE_PER_KEY, "1", DPoPSettings.REPLAY_MAX_PER_KEY, "1")) {
            assertThat(store.markUsed("scope-a", "key-1", expiry)).isEqualTo(Outcome.FIRST_USE);
            assertThat(store.markUsed("scope-a", "key-2", expiry)).isEqualTo(Outcome.REFUSED);
        }
    }

    @Test
    void defaultBoundsFollowFromSixtyFourMegabytesAndAShareOfOneHalf() {
        JCacheReplayStoreBuilder builder = JCacheReplayStore.builder();

        int entries = builder.effectiveMaxEntries(JCacheReplayStore.BYTES_PER_ENTRY);

        assertThat(entries).isEqualTo(64 * 1024 * 1024 / JCacheReplayStore.BYTES_PER_ENTRY);
        assertThat(builder.effectiveMaxPerScope(entries)).isEqualTo((int) Math.ceil(entries * 0.5));
    }

    @Test
    void readsMemorySizesWithUnits() {
        assertThat(ReplayStoreSettings.parseSize("64MB")).isEqualTo(64L << 20);
        assertThat(ReplayStoreSettings.parseSize("2g")).isEqualTo(2L << 30);
        assertThat(ReplayStoreSettings.parseSize("512 KB")).isEqualTo(512L << 10);
        assertThat(ReplayStoreSettings.parseSize("100000")).isEqualTo(100_000L);
    }

    @Test
    void fromSettingsRejectsAMalformedMemorySizeNamingItsKey() {
        assertEveryValueRejectedNamingItsKey(DPoPSettings.REPLAY_MAX_MEMORY, "64 apples", "-1MB", "0", "1");
    }

    @Test
    void fromSettingsRejectsAShareOutsideZeroToOneNamingItsKey() {
        assertEveryValueRejectedNamingItsKey(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY, "0", "1.5", "half", "NaN");
    }

    private void assertEveryValueRejectedNamingItsKey(String key, String... values) {
        for (String value : values) {
            DPoPSettings settings = DPoPSettings.from(Map.of(key, value));

            assertThatExceptionOfType(DPoPConfigurationException.class).as(value)
                    .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                    .satisfies(e -> assertThat(e.key()).isEqualTo(key));
        }
    }

    @Test
    void fromSettingsRejectsAnUnknownProviderNamingTheProviderKey() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_PROVIDER, "org.example.NoSuchProvider"));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_PROVIDER));
    }

    @Test
    void fromSettingsRejectsAMalformedUriNamingTheUriKey() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_URI, "urn:bad uri"));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_URI));
    }

    @Test
    void fromSettingsRejectsANonPositiveBoundNamingItsKey() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_MAX_PER_KEY, "0"));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_MAX_PER_KEY));
    }

    @Test
    void fromSettingsRefusesHazelcastWithoutANamedMember() {
        DPoPSettings settings = DPoPSettings.from(Map.of(
                DPoPSettings.REPLAY_PROVIDER, "com.hazelcast.cache.HazelcastMemberCachingProvider"));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_PROPERTIES));
        assertThat(com.hazelcast.core.Hazelcast.getAllHazelcastInstances()).isEmpty();
    }

    @Test
    void fromSettingsRejectsMalformedPropertiesNamingTheirKey() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_PROPERTIES, "no-equals-sign"));

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> JCacheReplayStore.fromSettings(settings, WINDOW, clock))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_PROPERTIES));
    }

    @Test
    void validatorsWithDifferentWindowsGetTheirOwnEhcacheCaches() {
        DPoPSettings defaults = DPoPSettings.from(Map.of());

        try (JCacheReplayStore shortWindow = JCacheReplayStore.fromSettings(defaults, WINDOW, clock);
             JCacheReplayStore longWindow = JCacheReplayStore.fromSettings(defaults, WINDOW.multipliedBy(3), clock)) {
            assertThat(longWindow.markUsed("scope", "shared-key", clock.instant().plus(WINDOW.multipliedBy(3))))
                    .isEqualTo(Outcome.FIRST_USE);
            assertThat(shortWindow.markUsed("scope", "shared-key", clock.instant().plus(WINDOW)))
                    .isEqualTo(Outcome.FIRST_USE);
        }
    }

    @Test
    void closingAStoreClosesTheEhcacheManagerItLeftEmpty() {
        ClassLoader own = new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
        javax.cache.spi.CachingProvider provider = javax.cache.Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER);
        javax.cache.CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), own);
        JCacheReplayStore store = JCacheReplayStore.builder().classLoader(own).entryLifetime(WINDOW).build();

        store.close();

        assertThat(manager.isClosed()).isTrue();
    }

    @Test
    void closingAStoreLeavesAManagerOtherCachesStillUse() {
        ClassLoader own = new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
        javax.cache.spi.CachingProvider provider = javax.cache.Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER);
        javax.cache.CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), own);
        manager.createCache("someone-else", new javax.cache.configuration.MutableConfiguration<String, String>());
        JCacheReplayStore store = JCacheReplayStore.builder().classLoader(own).entryLifetime(WINDOW).build();

        store.close();

        assertThat(manager.isClosed()).isFalse();
        manager.close();
    }

    @Test
    void onlyDistributedEnginesCountAsClusterWide() {
        assertThat(ReplayCaches.isDistributed("com.hazelcast.cache.HazelcastMemberCachingProvider")).isTrue();
        assertThat(ReplayCaches.isDistributed("org.infinispan.jcache.embedded.JCachingProvider")).isTrue();
        assertThat(ReplayCaches.isDistributed("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider")).isFalse();
        assertThat(ReplayCaches.isDistributed(JCacheReplayStore.EHCACHE_PROVIDER)).isFalse();
    }
}
