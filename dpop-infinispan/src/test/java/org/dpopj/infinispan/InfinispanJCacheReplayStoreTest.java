package org.dpopj.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.replay.ReplayKeys;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.infinispan.AdvancedCache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embedded Infinispan through JCache, selected by {@code dpop.replay.provider} and configured by an
 * Infinispan XML named by {@code dpop.replay.uri}: the store inserts atomically, its entries expire
 * with the cache's lifespan, and caches that would expire or evict live entries are refused at
 * start-up, naming {@code dpop.replay.cache}.
 */
class InfinispanJCacheReplayStoreTest {

    private static final Duration WINDOW = Duration.ofSeconds(70);

    private final List<JCacheReplayStore> stores = new ArrayList<>();

    @AfterEach
    void closeStoresAndProvider() {
        stores.forEach(JCacheReplayStore::close);
        Caching.getCachingProvider(InfinispanJCacheRequirements.EMBEDDED_PROVIDER).close();
    }

    private final URI configuration = configuration();

    private static URI configuration() {
        try {
            return InfinispanJCacheReplayStoreTest.class.getResource("/infinispan-jcache-replay.xml").toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private JCacheReplayStore store(String cacheName) {
        JCacheReplayStore store = JCacheReplayStore.fromSettings(DPoPSettings.from(Map.of(
                DPoPSettings.REPLAY_PROVIDER, InfinispanJCacheRequirements.EMBEDDED_PROVIDER,
                DPoPSettings.REPLAY_URI, configuration.toString(),
                DPoPSettings.REPLAY_CACHE, cacheName)), WINDOW, Clock.systemUTC());
        stores.add(store);
        return store;
    }

    private static Instant expiry() {
        return Instant.now().plus(WINDOW);
    }

    @Test
    void acceptsAKeyOnceAndRefusesItsReplay() {
        JCacheReplayStore store = store("dpop-replay");

        assertThat(store.markUsed("scope", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("scope", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
        assertThat(store.markUsed("scope", "key-2", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentCopies() throws Exception {
        JCacheReplayStore store = store("dpop-replay");

        assertThat(ConcurrentCopies.firstUses(store, "the-one-proof", 50, InfinispanJCacheReplayStoreTest::expiry)).isEqualTo(1);
    }

    @Test
    void recordsEachEntryWithTheCachesLifespanCoveringTheWindow() {
        store("dpop-replay").markUsed("scope", "key-1", expiry());

        AdvancedCache<Object, Object> cache = nativeCache("dpop-replay");
        assertThat(cache.getCacheEntry(ReplayKeys.shortKey("key-1")).getLifespan()).isEqualTo(120_000L).isGreaterThanOrEqualTo(WINDOW.toMillis());
        assertThat(cache.getCacheEntry(ReplayKeys.shortKey("key-1")).getMaxIdle()).isEqualTo(-1);
    }

    @Test
    void refusesACacheWhoseLifespanIsShorterThanTheWindowNamingTheSetting() {
        assertThatThrownBy(() -> store("dpop-replay-short"))
                .isInstanceOf(DPoPConfigurationException.class)
                .satisfies(e -> assertThat(((DPoPConfigurationException) e).key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }

    @Test
    void refusesACacheWithoutLifespanWhoseEntriesWouldNeverExpire() {
        assertThatThrownBy(() -> store("dpop-replay-eternal"))
                .isInstanceOf(DPoPConfigurationException.class)
                .satisfies(e -> assertThat(((DPoPConfigurationException) e).key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }

    @Test
    void refusesACacheThatEvictsBelowTheStoresBoundNamingTheSetting() {
        assertThatThrownBy(() -> store("dpop-replay-evicting"))
                .isInstanceOf(DPoPConfigurationException.class)
                .satisfies(e -> assertThat(((DPoPConfigurationException) e).key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }

    @SuppressWarnings("unchecked")
    private AdvancedCache<Object, Object> nativeCache(String name) {
        CachingProvider provider = Caching.getCachingProvider(InfinispanJCacheRequirements.EMBEDDED_PROVIDER);
        EmbeddedCacheManager manager = provider.getCacheManager(configuration, provider.getDefaultClassLoader())
                .unwrap(EmbeddedCacheManager.class);
        return (AdvancedCache<Object, Object>) manager.getCache(name).getAdvancedCache();
    }
}
