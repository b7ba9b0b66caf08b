package org.dpopj.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.replay.ReplayStoreUnavailableException;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.dpopj.core.testing.MutableClock;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InfinispanReplayStoreTest {

    private static final Duration WINDOW = Duration.ofSeconds(70);

    private DefaultCacheManager manager;
    private Cache<String, Long> cache;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void startCache() {
        manager = new DefaultCacheManager();
        manager.defineConfiguration("replay", new ConfigurationBuilder().build());
        cache = manager.getCache("replay");
    }

    @AfterEach
    void stopCache() {
        manager.stop();
    }

    private InfinispanReplayStore.Builder store() {
        return InfinispanReplayStore.builder().cache(cache).entryLifetime(WINDOW).clock(clock);
    }

    private Instant expiry() {
        return clock.instant().plus(WINDOW);
    }

    @Test
    void acceptsAKeyOnceAndRefusesItsReplay() {
        InfinispanReplayStore store = store().build();
        assertThat(store.markUsed("k", "a", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("k", "a", expiry())).isEqualTo(Outcome.REPLAYED);
        assertThat(store.markUsed("k", "b", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void recordsEachEntryWithTheWindowAsItsLifespanAndNoMaxIdle() {
        store().build().markUsed("k", "a", expiry());
        var entry = cache.getAdvancedCache().getCacheEntry(InfinispanReplayStore.cacheKey("a"));
        assertThat(entry.getLifespan()).isEqualTo(WINDOW.toMillis());
        assertThat(entry.getMaxIdle()).isEqualTo(-1);
    }

    @Test
    void storesTheFirstSixteenCharactersOfAHashKey() {
        String hash = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
        store().build().markUsed("k", hash, expiry());

        assertThat(cache.keySet()).containsExactly("0123456789abcdef");
    }

    @Test
    void storesAnyOtherKeyAsTheFirstSixteenCharactersOfItsHash() {
        store().build().markUsed("k", "not a hash", expiry());

        assertThat(cache.keySet()).singleElement().asString().hasSize(16).doesNotContain(" ");
    }

    @Test
    void storesAValueOfItsOwnPerCallSoThatARetriedInsertCannotTakeAnotherRequestsEntryForItsOwn() {
        InfinispanReplayStore store = store().build();
        Instant sameExpiry = expiry();
        store.markUsed("k", "a", sameExpiry);
        store.markUsed("k", "b", sameExpiry);
        assertThat(cache.get(InfinispanReplayStore.cacheKey("a"))).isNotEqualTo(cache.get(InfinispanReplayStore.cacheKey("b")));
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentCopies() throws Exception {
        InfinispanReplayStore store = store().build();

        assertThat(ConcurrentCopies.firstUses(store, "same", 200, this::expiry)).isEqualTo(1);
    }

    @Test
    void refusesNewKeysWhenTheNodeBoundIsReachedAndEvictsNothing() {
        InfinispanReplayStore store = store().maxEntries(3).maxPerScope(3).build();
        for (String key : List.of("a", "b", "c")) {
            assertThat(store.markUsed("k" + key, key, expiry())).isEqualTo(Outcome.FIRST_USE);
        }
        assertThat(store.markUsed("kd", "d", expiry())).isEqualTo(Outcome.REFUSED);
        assertThat(cache.keySet()).containsExactlyInAnyOrder(InfinispanReplayStore.cacheKey("a"),
                InfinispanReplayStore.cacheKey("b"), InfinispanReplayStore.cacheKey("c"));
        // a full node refuses before it asks the cache: a replay is refused too, never accepted
        assertThat(store.markUsed("ka", "a", expiry())).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void reportsItsUsageForMetricsAsTheEmbeddedStoreDoes() {
        InfinispanReplayStore store = store().maxEntries(5).maxPerScope(5).build();
        for (String key : List.of("a", "b", "c", "d", "e", "f")) {
            store.markUsed("k", key, expiry());
        }
        assertThat(store.usage()).contains(new ReplayStore.Usage(5, 5, 1, 1));
    }

    @Test
    void refusesOneProofKeyBeyondItsShare() {
        InfinispanReplayStore store = store().maxEntries(10).maxPerScope(2).build();
        assertThat(store.markUsed("k", "a", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("k", "b", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("k", "c", expiry())).isEqualTo(Outcome.REFUSED);
        assertThat(store.markUsed("other", "c", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void givesTheNodeBoundBackOnceTheWindowHasPassed() {
        InfinispanReplayStore store = store().maxEntries(1).build();
        assertThat(store.markUsed("k", "a", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("k", "b", expiry())).isEqualTo(Outcome.REFUSED);
        clock.advance(WINDOW.plusMillis(1));
        assertThat(store.markUsed("k", "b", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.liveEntries()).isEqualTo(1);
    }

    @Test
    void failsClosedWhenTheCacheFails() {
        InfinispanReplayStore store = store().build();
        cache.stop();
        assertThatThrownBy(() -> store.markUsed("k", "a", expiry()))
                .isInstanceOf(ReplayStoreUnavailableException.class)
                .hasMessageNotContaining("a\"");
        assertThat(store.liveEntries()).isZero();
    }

    @Test
    void refusesAnExpiryBeyondTheWindow() {
        InfinispanReplayStore store = store().build();
        assertThatThrownBy(() -> store.markUsed("k", "a", expiry().plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isNotClusterWideOnALocalCache() {
        assertThat(store().build().isClusterWide()).isFalse();
    }

    @Test
    void isSelectedByTheReplayStoreSettingAndNamesTheJndiSettingWhenTheCacheIsMissing() {
        // the validator finds the factory through ServiceLoader; there is no JNDI here
        assertThatThrownBy(() -> DPoPValidator.builder()
                .settings(DPoPSettings.from(java.util.Map.of(
                        DPoPSettings.REPLAY_STORE, "infinispan",
                        DPoPSettings.REPLAY_JNDI, "java:jboss/infinispan/cache/none/here",
                        "dpop.token.jwks-uri", "http://127.0.0.1:1/jwks",
                        "dpop.token.issuer", "http://127.0.0.1:1",
                        "dpop.token.audience", "api")))
                .build())
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageStartingWith(DPoPSettings.REPLAY_JNDI + ": no Infinispan cache at java:jboss/infinispan/cache/none/here");
    }

    @Test
    void refusesAMemoryBudgetItCannotWeigh() {
        assertThatThrownBy(() -> new InfinispanReplayStoreFactory().create(DPoPSettings.from(java.util.Map.of(
                DPoPSettings.REPLAY_MAX_MEMORY, "64MB")), WINDOW, clock))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageStartingWith(DPoPSettings.REPLAY_MAX_MEMORY + ": ");
    }

    @Test
    void refusesAnUnknownStoreNamingTheSetting() {
        assertThatThrownBy(() -> DPoPValidator.builder()
                .settings(DPoPSettings.from(java.util.Map.of(
                        DPoPSettings.REPLAY_STORE, "nowhere",
                        "dpop.token.jwks-uri", "http://127.0.0.1:1/jwks",
                        "dpop.token.issuer", "http://127.0.0.1:1",
                        "dpop.token.audience", "api")))
                .build())
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageStartingWith(DPoPSettings.REPLAY_STORE + ": no replay store named 'nowhere'");
    }
}
