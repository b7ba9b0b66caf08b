package org.dpopj.infinispan;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.dpopj.core.jose.Sha256;
import org.dpopj.core.spi.ReplayStore;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;

/**
 * Bytes of heap per live entry of {@link InfinispanReplayStore}, the way {@code bench}'s
 * {@code ReplayFootprint} measures the Ehcache store: used heap after {@code System.gc()} before and
 * after recording {@code entries} distinct replay keys over {@code scopes} proof keys, divided by
 * {@code entries}; then, once the entries' lifetime has passed and the expiration reaper has run,
 * again. The cache is an embedded Infinispan 16.0.5 <em>local</em> cache with object storage (what one
 * owner holds of a replicated cache, without WildFly's marshalled-key wrapping or clustering
 * metadata): a measurement of memory, run by hand, not a test.
 *
 * <p>Run (classpath from {@code mvn dependency:build-classpath -Dmdep.includeScope=test}):
 * {@code java -Xmx2g -cp dpop-infinispan/target/classes:dpop-infinispan/target/test-classes:$CP
 * org.dpopj.infinispan.InfinispanReplayFootprint 1000000 1000}
 */
public final class InfinispanReplayFootprint {

    private InfinispanReplayFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int scopes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String[] scopeNames = new String[scopes];
        for (int i = 0; i < scopes; i++) {
            scopeNames[i] = Sha256.base64Url("scope " + i);
        }
        Duration lifetime = Duration.ofSeconds(30);
        try (DefaultCacheManager manager = new DefaultCacheManager()) {
            ConfigurationBuilder config = new ConfigurationBuilder();
            config.expiration().wakeUpInterval(1, TimeUnit.SECONDS);
            manager.defineConfiguration("footprint", config.build());
            Cache<String, Long> cache = manager.getCache("footprint");
            InfinispanReplayStore store = InfinispanReplayStore.builder().cache(cache).entryLifetime(lifetime)
                    .maxEntries(entries + 1).maxPerScope(entries + 1).build();
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
            Thread.sleep(lifetime.toMillis() + 3000 - (System.nanoTime() - started - filledIn) / 1_000_000);
            store.markUsed(scopeNames[0], Sha256.base64Url("after the window"), Instant.now().plus(lifetime));
            // the reaper hands expired entries to asynchronous tasks: measure until they have drained
            for (int seconds = 0; seconds <= 20; seconds += 5) {
                long expired = usedAfterGc(memory);
                System.out.printf("%d s after the window: %d entries left in the cache, %,d bytes above the empty store (%.1f per entry once live)%n",
                        seconds, cache.size(), expired - before, (expired - before) / (double) entries);
                Thread.sleep(5000);
            }
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
