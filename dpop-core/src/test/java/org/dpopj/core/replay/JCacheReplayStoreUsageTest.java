package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** {@link JCacheReplayStore#usage()}: the read-only view that metrics and the readiness check report. */
class JCacheReplayStoreUsageTest {

    private static final Duration WINDOW = Duration.ofSeconds(70);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private JCacheReplayStore store(int maxEntries, int maxPerScope) {
        return JCacheReplayStore.builder().cacheName("usage-" + UUID.randomUUID()).entryLifetime(WINDOW)
                .maxEntries(maxEntries).maxPerScope(maxPerScope).clock(clock).build();
    }

    private Instant expiry() {
        return clock.instant().plus(WINDOW);
    }

    @Test
    void reportsNoEntriesAndTheBoundOfAnEmptyStore() {
        try (JCacheReplayStore store = store(10, 10)) {
            assertThat(store.usage()).contains(new ReplayStore.Usage(0, 10, 0, 0));
        }
    }

    @Test
    void countsFirstUsesAsLiveEntriesButNotReplays() {
        try (JCacheReplayStore store = store(10, 10)) {
            store.markUsed("scope-a", "key-1", expiry());
            store.markUsed("scope-b", "key-2", expiry());
            assertThat(store.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);

            assertThat(store.usage().orElseThrow().liveEntries()).isEqualTo(2);
        }
    }

    @Test
    void dropsExpiredEntriesFromTheCountOnTheNextCall() {
        try (JCacheReplayStore store = store(10, 10)) {
            store.markUsed("scope-a", "key-1", expiry());
            clock.advance(WINDOW.plusSeconds(5));
            store.markUsed("scope-a", "key-2", expiry());

            assertThat(store.usage().orElseThrow().liveEntries()).isEqualTo(1);
        }
    }

    @Test
    void countsOneWarningWhenCrossingEightyPercentOfTheBound() {
        try (JCacheReplayStore store = store(10, 10)) {
            for (int i = 0; i < 7; i++) {
                store.markUsed("scope-a", "key-" + i, expiry());
            }
            assertThat(store.usage().orElseThrow().nearlyFullWarnings()).isZero();

            store.markUsed("scope-a", "key-7", expiry());
            store.markUsed("scope-a", "key-8", expiry());

            assertThat(store.usage().orElseThrow().nearlyFullWarnings()).isEqualTo(1);
        }
    }

    @Test
    void countsAWarningAgainOnlyAfterTheStoreFellBelowSeventyPercent() {
        try (JCacheReplayStore store = store(10, 10)) {
            for (int i = 0; i < 8; i++) {
                store.markUsed("scope-a", "first-" + i, expiry());
            }
            clock.advance(WINDOW.plusSeconds(5));
            for (int i = 0; i < 8; i++) {
                store.markUsed("scope-a", "second-" + i, expiry());
            }

            assertThat(store.usage().orElseThrow().nearlyFullWarnings()).isEqualTo(2);
        }
    }

    @Test
    void countsRefusalsOfAFullStore() {
        try (JCacheReplayStore store = store(2, 2)) {
            store.markUsed("scope-a", "key-1", expiry());
            store.markUsed("scope-b", "key-2", expiry());
            assertThat(store.markUsed("scope-c", "key-3", expiry())).isEqualTo(Outcome.REFUSED);

            assertThat(store.usage()).contains(new ReplayStore.Usage(2, 2, 1, 1));
        }
    }

    @Test
    void countsRefusalsOfAFullScopeWhileTheStoreHasRoom() {
        try (JCacheReplayStore store = store(10, 1)) {
            store.markUsed("scope-a", "key-1", expiry());
            assertThat(store.markUsed("scope-a", "key-2", expiry())).isEqualTo(Outcome.REFUSED);

            assertThat(store.usage()).contains(new ReplayStore.Usage(1, 10, 0, 1));
        }
    }
}
