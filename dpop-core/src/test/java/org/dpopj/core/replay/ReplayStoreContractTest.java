package org.dpopj.core.replay;

import org.dpopj.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link ReplayStore} must follow (RFC 9449 §11.1). A subclass per implementation
 * supplies {@link #createStore}; stores that are {@link AutoCloseable} are closed after each test.
 */
abstract class ReplayStoreContractTest {

    /** The acceptance window: stores must remember an entry this long. */
    protected static final Duration WINDOW = Duration.ofSeconds(60);

    private static final int THREADS = 32;

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<ReplayStore> opened = new ArrayList<>();

    /**
     * @param maxEntries the store's bound on live entries
     * @param maxPerScope the store's bound on live entries per scope
     * @param clock the clock the store must use for its bounds; entries must live at least {@link #WINDOW}
     * @return a new, empty store
     */
    protected abstract ReplayStore createStore(int maxEntries, int maxPerScope, MutableClock clock);

    protected final ReplayStore store(int maxEntries, int maxPerScope) {
        ReplayStore store = createStore(maxEntries, maxPerScope, clock);
        opened.add(store);
        return store;
    }

    protected final Instant expiry() {
        return clock.instant().plus(WINDOW);
    }

    @AfterEach
    void closeStores() throws Exception {
        for (ReplayStore store : opened) {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    @Test
    void acceptsFirstUse() {
        ReplayStore store = store(10, 10);

        assertThat(store.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void reportsSecondUseAsReplay() {
        ReplayStore store = store(10, 10);
        store.markUsed("scope-a", "key-1", expiry());

        assertThat(store.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void reportsKeyUsedUnderAnotherScopeAsReplay() {
        ReplayStore store = store(10, 10);
        store.markUsed("scope-a", "key-1", expiry());

        assertThat(store.markUsed("scope-b", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void refusesNewKeyWhenFullWithoutForgettingEarlierKeys() {
        ReplayStore store = store(2, 10);
        store.markUsed("scope-a", "key-1", expiry());
        store.markUsed("scope-b", "key-2", expiry());

        assertThat(store.markUsed("scope-c", "key-3", expiry())).isEqualTo(Outcome.REFUSED);
        assertThat(store.markUsed("scope-a", "key-1", expiry())).isNotEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("scope-b", "key-2", expiry())).isNotEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void refusesWhenScopeHoldsTooManyLiveEntriesWhileOtherScopesWork() {
        ReplayStore store = store(10, 2);
        store.markUsed("scope-a", "key-1", expiry());
        store.markUsed("scope-a", "key-2", expiry());

        assertThat(store.markUsed("scope-a", "key-3", expiry())).isEqualTo(Outcome.REFUSED);
        assertThat(store.markUsed("scope-b", "key-4", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(store.markUsed("scope-b", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void replayDoesNotTakeCapacity() {
        ReplayStore store = store(2, 2);
        store.markUsed("scope-a", "key-1", expiry());
        for (int i = 0; i < 5; i++) {
            store.markUsed("scope-a", "key-1", expiry());
        }

        assertThat(store.markUsed("scope-a", "key-2", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void acceptsNewKeysAgainOnceEarlierEntriesExpire() {
        ReplayStore store = store(2, 2);
        store.markUsed("scope-a", "key-1", expiry());
        store.markUsed("scope-a", "key-2", expiry());
        assertThat(store.markUsed("scope-a", "key-3", expiry())).isEqualTo(Outcome.REFUSED);

        clock.advance(WINDOW.plusSeconds(1));

        assertThat(store.markUsed("scope-a", "key-3", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentUsesOfOneKey() throws Exception {
        ReplayStore store = store(1_000, 1_000);

        for (int round = 0; round < 5; round++) {
            String key = "concurrent-" + round;
            List<Outcome> outcomes = concurrently(i -> store.markUsed("scope-a", key, expiry()));

            assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.FIRST_USE).hasSize(1);
            assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.REPLAYED).hasSize(THREADS - 1);
        }
    }

    @Test
    void neverAcceptsMoreThanItsBoundUnderConcurrency() throws Exception {
        ReplayStore store = store(10, 1_000);

        List<Outcome> outcomes = concurrently(i -> store.markUsed("scope-" + (i % 4), "distinct-" + i, expiry()));

        assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.FIRST_USE).hasSize(10);
        assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.REFUSED).hasSize(THREADS - 10);
    }

    @Test
    void rejectsNullArguments() {
        ReplayStore store = store(10, 10);

        assertThatNullPointerException().isThrownBy(() -> store.markUsed(null, "key-1", expiry()));
        assertThatNullPointerException().isThrownBy(() -> store.markUsed("scope-a", null, expiry()));
        assertThatNullPointerException().isThrownBy(() -> store.markUsed("scope-a", "key-1", null));
    }

    /** A call that one of the threads makes; {@code i} numbers the thread. */
    protected interface Call {
        Outcome run(int i) throws Exception;
    }

    /** Runs {@link #THREADS} calls released at the same instant and returns their outcomes. */
    protected static List<Outcome> concurrently(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int thread = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.run(thread);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(10, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
