package org.dpopj.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.dpopj.core.replay.JCacheReplayStore;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.jsr107.Eh107Configuration;
import org.ehcache.spi.serialization.Serializer;

/**
 * What Ehcache's off-heap tier needs per replay entry, the alternative to the heap tier that issue 17
 * asked to try: an off-heap-only cache through JCache ({@link Eh107Configuration}), keyed by a 16-byte
 * key with a fixed-size serializer, {@code Long} values (Ehcache's own 8-byte serializer), filled with
 * {@code entries} distinct keys into a tier of {@code megabytes}; then every key is looked up, and
 * the tool prints how many are still there. The tier evicts when full, so the smallest size that
 * keeps them all is what an entry costs; the tier reserves its whole size up front as direct memory
 * (reported from the {@code direct} buffer pool). Not the store: the store would add its accounting
 * ring on the heap (16 bytes an entry) and, to free expired entries, their keys.
 *
 * <p>Run: {@code java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.ReplayFootprint
 * ehcache-offheap 1000000 120}
 */
final class EhcacheOffHeapFootprint {

    private EhcacheOffHeapFootprint() {
    }

    /** A 128-bit key, serialized in 16 bytes. */
    record Key(long high, long low) {
    }

    /** The fixed-size serializer of {@link Key}. */
    static final class KeySerializer implements Serializer<Key> {
        @Override
        public ByteBuffer serialize(Key key) {
            return ByteBuffer.allocate(16).putLong(key.high()).putLong(key.low()).flip();
        }

        @Override
        public Key read(ByteBuffer binary) {
            return new Key(binary.getLong(), binary.getLong());
        }

        @Override
        public boolean equals(Key key, ByteBuffer binary) {
            return key.high() == binary.getLong() && key.low() == binary.getLong();
        }
    }

    static void main(String[] args) {
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        long megabytes = args.length > 2 ? Long.parseLong(args[2]) : 120;
        CacheManager manager = Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER).getCacheManager();
        long directBefore = ReplayFootprint.directMemory();
        Cache<Key, Long> cache = manager.createCache("offheap-footprint", Eh107Configuration.fromEhcacheCacheConfiguration(
                CacheConfigurationBuilder.newCacheConfigurationBuilder(Key.class, Long.class,
                                ResourcePoolsBuilder.newResourcePoolsBuilder().offheap(megabytes, MemoryUnit.MB))
                        .withKeySerializer(new KeySerializer())
                        .withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(java.time.Duration.ofMinutes(10)))));
        long reserved = ReplayFootprint.directMemory() - directBefore;
        Long value = System.currentTimeMillis();
        SplittableRandom keys = new SplittableRandom(1);
        long started = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            if (!cache.putIfAbsent(new Key(keys.nextLong(), keys.nextLong()), value)) {
                throw new IllegalStateException("entry " + i + " was there already");
            }
        }
        long filledIn = System.nanoTime() - started;
        keys = new SplittableRandom(1);
        int kept = 0;
        for (int i = 0; i < entries; i++) {
            kept += cache.containsKey(new Key(keys.nextLong(), keys.nextLong())) ? 1 : 0;
        }
        System.out.printf("ehcache-offheap: %,d MB tier (%,d bytes of direct memory reserved), %,d entries put in %.1f us each,"
                + " %,d kept (%,d evicted): %.1f bytes per kept entry%n", megabytes, reserved, entries,
                filledIn / 1000.0 / entries, kept, entries - kept, reserved / (double) kept);
        manager.close();
    }
}
