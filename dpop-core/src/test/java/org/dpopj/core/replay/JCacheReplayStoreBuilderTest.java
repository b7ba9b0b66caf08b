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

    private static String uniqueCacheName() {
        return "dpop-replay-" + UUID.randomUUID();
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
