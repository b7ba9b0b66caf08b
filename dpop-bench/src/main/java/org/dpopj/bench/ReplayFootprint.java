package org.dpopj.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;

import org.dpopj.core.jose.Sha256;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;

/**
 * Bytes of heap per live entry of the default replay store (embedded Ehcache, JCache): the used heap
 * after {@code System.gc()} before and after recording {@code entries} distinct replay keys, as
 * the validator makes them, over {@code scopes} proof keys, divided by {@code entries}. Then the
 * entries' lifetime is let pass (30 s), one more call purges, and the heap is measured again:
 * expired entries must not stay behind (what remains is the accounting's ring and the cache's hash
 * table, sized for the peak, which do not shrink). Not a JMH benchmark: a measurement of memory, run by hand.
 *
 * <p>Run: {@code java -Xmx2g -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.ReplayFootprint 1000000 1000}
 */
public final class ReplayFootprint {

    private ReplayFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int scopes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String[] scopeNames = new String[scopes];
        for (int i = 0; i < scopes; i++) {
            scopeNames[i] = Sha256.base64Url("scope " + i);
        }
        // long enough that no entry expires while the store fills, even on a busy machine
        Duration lifetime = Duration.ofSeconds(30);
        try (JCacheReplayStore store = JCacheReplayStore.builder().cacheName("footprint")
                .entryLifetime(lifetime).maxEntries(entries + 1).maxPerScope(entries + 1).build()) {
            store.markUsed(scopeNames[0], Sha256.base64Url("warm-up"), Instant.now());
            long before = usedAfterGc(memory);
            long started = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                String scope = scopeNames[i % scopes];
                if (store.markUsed(scope, Sha256.base64Url(scope + '\n' + i), Instant.now().plus(lifetime)) != ReplayStore.Outcome.FIRST_USE) {
                    throw new IllegalStateException("entry " + i + " was not recorded");
                }
            }
            long filledIn = System.nanoTime() - started;
            long after = usedAfterGc(memory);
            if (System.nanoTime() - started > lifetime.toNanos()) {
                throw new IllegalStateException("entries expired before the heap was measured: raise the lifetime");
            }
            System.out.printf("entries %,d over %,d scopes: %,d bytes of heap, %.1f bytes per live entry (filled in %d ms)%n",
                    entries, scopes, after - before, (after - before) / (double) entries, filledIn / 1_000_000);
            // every entry's lifetime, the store's one-second margin, and one more second
            Thread.sleep(lifetime.toMillis() + 2000 - (System.nanoTime() - started - filledIn) / 1_000_000);
            store.markUsed(scopeNames[0], Sha256.base64Url("after the window"), Instant.now().plus(lifetime));
            long expired = usedAfterGc(memory);
            System.out.printf("after the window and one more call: %,d bytes above the empty store (%.1f per entry once live)%n",
                    expired - before, (expired - before) / (double) entries);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
