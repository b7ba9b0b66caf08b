package org.dpopj.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The replay-store part of the readiness check. */
class ReplayStoreProbeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ReplayStoreProbe probe = new ReplayStoreProbe(clock);

    /** A store that remembers keys, as a working one does. */
    private static class Remembering implements ReplayStore {
        final Set<String> keys = new HashSet<>();

        @Override
        public synchronized Outcome markUsed(String scope, String key, Instant expiresAt) {
            return keys.add(key) ? Outcome.FIRST_USE : Outcome.REPLAYED;
        }

        @Override
        public boolean isClusterWide() {
            return false;
        }
    }

    @Test
    void aWorkingStoreIsWritableAndGetsOneProbeKeyPerSlot() {
        Remembering store = new Remembering();

        assertThat(probe.probe(store).writable()).isTrue();
        assertThat(probe.probe(store).writable()).isTrue();
        clock.advance(ReplayStoreProbe.SLOT);
        assertThat(probe.probe(store).writable()).isTrue();

        assertThat(store.keys).hasSize(2);
    }

    @Test
    void aFullStoreIsNotWritable() {
        ReplayStore full = new Remembering() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                return Outcome.REFUSED;
            }
        };

        assertThat(probe.probe(full)).isEqualTo(new ReplayStoreProbe.Result(false, "full: refuses new entries"));
    }

    @Test
    void aFailingStoreIsNotWritable() {
        ReplayStore failing = new Remembering() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                throw new IllegalStateException("cluster partitioned");
            }
        };

        ReplayStoreProbe.Result result = probe.probe(failing);

        assertThat(result.writable()).isFalse();
        assertThat(result.detail()).isEqualTo("failing: java.lang.IllegalStateException");
    }

    @Test
    void aRealStoreWithAnAcceptanceWindowShorterThanOneSlotIsWritable() {
        try (JCacheReplayStore store = JCacheReplayStore.builder().cacheName("probe-" + UUID.randomUUID())
                .entryLifetime(Duration.ofSeconds(6)).clock(clock).build()) {
            assertThat(probe.probe(store)).isEqualTo(new ReplayStoreProbe.Result(true, "records entries"));
        }
    }

    @Test
    void probeKeysMayBeForgottenAtOnce() {
        Instant[] expiry = new Instant[1];
        probe.probe(new Remembering() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                expiry[0] = expiresAt;
                return Outcome.FIRST_USE;
            }
        });

        assertThat(expiry[0]).isEqualTo(clock.instant());
    }

    @Test
    void aRealStoreAtCapacityIsNotWritableAndIsAgainOnceItsEntriesExpired() {
        Duration window = Duration.ofSeconds(70);
        try (JCacheReplayStore store = JCacheReplayStore.builder().cacheName("probe-" + UUID.randomUUID())
                .entryLifetime(window).maxEntries(5).maxPerScope(5).clock(clock).build()) {
            for (int i = 0; i < 5; i++) {
                store.markUsed("client-key", "key-" + i, clock.instant().plus(window));
            }
            assertThat(probe.probe(store).writable()).isFalse();

            clock.advance(window.plusSeconds(2));

            assertThat(probe.probe(store).writable()).isTrue();
        }
    }

    @Test
    void aRealStoreWhoseOneKeyIsAtItsShareStaysWritable() {
        Duration window = Duration.ofSeconds(70);
        try (JCacheReplayStore store = JCacheReplayStore.builder().cacheName("probe-" + UUID.randomUUID())
                .entryLifetime(window).maxEntries(10).maxPerScope(3).clock(clock).build()) {
            for (int i = 0; i < 4; i++) {
                store.markUsed("client-key", "key-" + i, clock.instant().plus(window));
            }

            assertThat(probe.probe(store).writable()).isTrue();
        }
    }

    @Test
    void aStoreThatFailsIsNotWritableAndIsAgainOnceItAnswers() {
        boolean[] outage = {true};
        ReplayStore recovering = new Remembering() {
            @Override
            public synchronized Outcome markUsed(String scope, String key, Instant expiresAt) {
                if (outage[0]) {
                    throw new IllegalStateException("unreachable");
                }
                return super.markUsed(scope, key, expiresAt);
            }
        };
        assertThat(probe.probe(recovering).writable()).isFalse();

        outage[0] = false;

        assertThat(probe.probe(recovering).writable()).isTrue();
    }
}
