package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URL;
import java.net.URLClassLoader;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.dpopj.core.jose.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@link ReplayBuckets} packs replay keys into the buckets of one embedded Ehcache cache. */
class ReplayBucketsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Instant EXPIRY = NOW.plusSeconds(70);

    private final CachingProvider provider = Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER,
            new URLClassLoader(new URL[0], getClass().getClassLoader()));
    private final CacheManager manager = provider.getCacheManager();

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Cache<Long, ReplayBucket> newCache() {
        return manager.createCache("buckets-" + UUID.randomUUID(), new MutableConfiguration<Long, ReplayBucket>()
                .setTypes(Long.class, ReplayBucket.class).setStoreByValue(false));
    }

    private static String replayKey(int i) {
        return Sha256.base64Url("thumbprint|jti-" + i);
    }

    @Test
    void acceptsAKeyOnceUntilItsExpiryAndAgainAfterIt() {
        ReplayBuckets buckets = ReplayBuckets.open(newCache(), "c", 1_000, new SecureRandom());
        long now = NOW.toEpochMilli();

        assertThat(buckets.putIfAbsent(replayKey(1), EXPIRY, now)).isTrue();
        assertThat(buckets.putIfAbsent(replayKey(1), EXPIRY, now)).isFalse();
        assertThat(buckets.putIfAbsent(replayKey(1), EXPIRY, EXPIRY.toEpochMilli() - 1)).isFalse();
        // at its expiry (rounded up to the second) the key may be forgotten: RFC 9449 §11.1 needs no more
        assertThat(buckets.putIfAbsent(replayKey(1), EXPIRY.plusSeconds(70), EXPIRY.toEpochMilli())).isTrue();
    }

    @Test
    void spreadsKeysEvenlyOverTheBucketsItPlannedFortyEightEntriesEach() {
        Cache<Long, ReplayBucket> cache = newCache();
        ReplayBuckets buckets = ReplayBuckets.open(cache, "c", 48_000, new SecureRandom());
        for (int i = 0; i < 48_000; i++) {
            assertThat(buckets.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli())).isTrue();
        }

        assertThat(buckets.buckets()).isEqualTo(1_000);
        int largest = 0;
        int total = 0;
        for (long bucket = 0; bucket < 1_000; bucket++) {
            int size = cache.get(bucket).size();
            largest = Math.max(largest, size);
            total += size;
        }
        assertThat(total).isEqualTo(48_000);
        // Poisson with a mean of 48 over 1,000 buckets: the largest is about 70; 100 is more than 7 deviations
        assertThat(largest).isLessThan(100);
    }

    @Test
    void dropsExpiredEntriesFromABucketWhenItIsWritten() {
        Cache<Long, ReplayBucket> cache = newCache();
        ReplayBuckets buckets = ReplayBuckets.open(cache, "c", 1, new SecureRandom());
        for (int i = 0; i < 10; i++) {
            buckets.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli());
        }
        assertThat(cache.get(0L).size()).isEqualTo(10);

        buckets.putIfAbsent(replayKey(10), EXPIRY.plusSeconds(70), EXPIRY.toEpochMilli());

        assertThat(cache.get(0L).size()).isEqualTo(1);
    }

    @Test
    void aSecondStoreOfTheCacheUsesTheLayoutTheFirstRecorded() {
        Cache<Long, ReplayBucket> cache = newCache();
        ReplayBuckets first = ReplayBuckets.open(cache, "c", 48_000, new SecureRandom());
        ReplayBuckets second = ReplayBuckets.open(cache, "c", 480, new SecureRandom());

        assertThat(second.buckets()).isEqualTo(first.buckets());
        for (int i = 0; i < 1_000; i++) {
            assertThat(first.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli())).isTrue();
            assertThat(second.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli())).as("key %d", i).isFalse();
        }
    }

    @Test
    void anotherCacheHashesWithAnotherSeed() {
        ReplayBuckets one = ReplayBuckets.open(newCache(), "c", 48_000, new SecureRandom());
        ReplayBuckets other = ReplayBuckets.open(newCache(), "c", 48_000, new SecureRandom());
        int same = 0;
        for (int i = 0; i < 100; i++) {
            String hash = replayKey(i);
            same += one.bucketOf(hash) == other.bucketOf(hash) ? 1 : 0;
        }
        // a client cannot aim its jtis at one bucket of a server's cache without that cache's seed
        assertThat(same).isLessThan(5);
    }

    @Test
    void failsClosedRatherThanGrowABucketBeyondItsBound() {
        ReplayBuckets buckets = ReplayBuckets.open(newCache(), "c", 1, new SecureRandom());
        for (int i = 0; i < ReplayBuckets.MAX_BUCKET_ENTRIES; i++) {
            assertThat(buckets.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli())).isTrue();
        }

        assertThatExceptionOfType(ReplayStoreUnavailableException.class)
                .isThrownBy(() -> buckets.putIfAbsent(replayKey(-1), EXPIRY, NOW.toEpochMilli()));
        assertThat(buckets.putIfAbsent(replayKey(0), EXPIRY, NOW.toEpochMilli())).isFalse();
    }

    @Test
    void twoThreadsAddingToOneBucketAtOnceLoseNoEntryAndAcceptEachKeyOnce() throws Exception {
        ReplayBuckets buckets = ReplayBuckets.open(newCache(), "c", 1, new SecureRandom());
        int keys = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                accepted.add(pool.submit(() -> {
                    start.await();
                    int firstUses = 0;
                    for (int i = 0; i < keys; i++) {
                        firstUses += buckets.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli()) ? 1 : 0;
                    }
                    return firstUses;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> each : accepted) {
                total += each.get(60, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(keys);
            for (int i = 0; i < keys; i++) {
                assertThat(buckets.putIfAbsent(replayKey(i), EXPIRY, NOW.toEpochMilli())).as("key %d", i).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
