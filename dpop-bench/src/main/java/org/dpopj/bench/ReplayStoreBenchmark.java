package org.dpopj.bench;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replay store alone: {@code markUsed} of new keys (the validator's 43-character base64url
 * hashes, made beforehand) on the embedded Ehcache store, in its two layouts side by side: the
 * default cache of buckets ({@code buckets}) and a cache of one entry per key ({@code keyed}: a
 * {@code String}/{@code Long} cache configured beforehand, by reference, as the store used before
 * it packed keys into buckets, then with 96-bit binary keys). Every iteration starts on a fresh
 * store of {@value #MAX_ENTRIES} entries already holding {@value #PREFILLED} (buckets half full, 24
 * entries each, filling towards 48 while measured); run at 1 and 2 threads ({@code -t 2}) to see
 * contention.
 *
 * <p>Run: {@code java -jar dpop-bench/target/benchmarks.jar ReplayStoreBenchmark -t 2 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class ReplayStoreBenchmark {

    private static final Duration WINDOW = Duration.ofSeconds(71);
    /** Keys each thread has ready: more than one thread records in a 1 s iteration. */
    private static final int KEYS_PER_THREAD = 1 << 20;
    private static final int MAX_ENTRIES = 2_000_000;
    private static final int PREFILLED = 1_000_000;

    @Param({"buckets", "keyed"})
    public String layout;

    private CacheManager manager;
    private JCacheReplayStore store;
    private String cacheName;
    private Instant expiresAt;

    /** One thread's keys, distinct from every other thread's. */
    @State(Scope.Thread)
    public static class Keys {
        private String[] keys;
        private int next;

        @Setup(Level.Trial)
        public void make() {
            keys = make(KEYS_PER_THREAD, UUID.randomUUID().getMostSignificantBits());
        }

        /** @return {@code count} distinct keys as the validator makes them: 43 base64url characters */
        static String[] make(int count, long salt) {
            String[] made = new String[count];
            ByteBuffer bytes = ByteBuffer.allocate(32);
            for (int i = 0; i < count; i++) {
                bytes.clear();
                bytes.putLong(mix(salt + i)).putLong(mix(salt ^ i)).putLong(mix(~salt + i)).putLong(mix(salt * 31 + i));
                made[i] = Base64Url.encode(bytes.array());
            }
            return made;
        }

        @Setup(Level.Iteration)
        public void rewind() {
            next = 0;
        }

        String next() {
            return keys[next++ & (KEYS_PER_THREAD - 1)];
        }
    }

    @Setup(Level.Iteration)
    public void freshStore() {
        manager = Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER).getCacheManager();
        String name = "bench-" + UUID.randomUUID();
        cacheName = name;
        if (layout.equals("keyed")) {
            manager.createCache(name, new MutableConfiguration<String, Long>()
                    .setTypes(String.class, Long.class)
                    .setStoreByValue(false)
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 72))));
        }
        store = JCacheReplayStore.builder().cacheName(name).entryLifetime(WINDOW).maxEntries(MAX_ENTRIES)
                .maxSharePerScope(1).clock(Clock.systemUTC()).build();
        expiresAt = Instant.now().plus(WINDOW).minusSeconds(5);
        String[] prefill = Keys.make(PREFILLED, ~UUID.randomUUID().getLeastSignificantBits());
        for (String key : prefill) {
            store.markUsed("other-scope", key, expiresAt);
        }
    }

    @TearDown(Level.Iteration)
    public void closeStore() {
        store.close();
        // a store of buckets closed its own cache, and the manager with it; a keyed cache is ours to drop
        if (!manager.isClosed()) {
            manager.destroyCache(cacheName);
        }
    }

    @Benchmark
    public ReplayStore.Outcome markUsed(Keys keys) {
        ReplayStore.Outcome outcome = store.markUsed("scope", keys.next(), expiresAt);
        if (outcome != ReplayStore.Outcome.FIRST_USE) {
            throw new IllegalStateException("a new key was answered " + outcome);
        }
        return outcome;
    }

    private static long mix(long value) {
        long h = value * 0x9e3779b97f4a7c15L;
        h ^= h >>> 32;
        h *= 0xd6e8feb96a8c9e6bL;
        return h ^ h >>> 29;
    }
}
