package org.dpopj.infinispan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStore.Outcome;

/** Spends one replay key many times at once, from eight threads, as concurrent copies of one proof would. */
final class ConcurrentCopies {

    private ConcurrentCopies() {
    }

    /** @return how many of {@code copies} concurrent uses of {@code key} were answered {@link Outcome#FIRST_USE} */
    static int firstUses(ReplayStore store, String key, int copies, Supplier<Instant> expiry)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                calls.add(() -> store.markUsed("scope", key, expiry.get()));
            }
            int firstUses = 0;
            for (Future<Outcome> outcome : pool.invokeAll(calls)) {
                firstUses += outcome.get() == Outcome.FIRST_USE ? 1 : 0;
            }
            return firstUses;
        } finally {
            pool.shutdownNow();
        }
    }
}
