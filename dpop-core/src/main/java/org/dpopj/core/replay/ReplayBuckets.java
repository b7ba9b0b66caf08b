package org.dpopj.core.replay;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import javax.cache.Cache;
import org.dpopj.core.jose.Base64Url;

/**
 * Replay keys packed into buckets of the embedded cache this library creates, so that a live proof
 * costs about 12 bytes of bucket ({@link ReplayBucket}) instead of a cache entry of its own, whose
 * metadata alone (Ehcache's value holder, hash-map node and key) took 128 bytes.
 *
 * <p>A replay key (already a base64url SHA-256 of the thumbprint and the {@code jti}, else hashed)
 * gives two independent 64-bit numbers: the first, mixed with the cache's random seed, picks one
 * of {@code buckets} buckets (a {@code Long} key from 0); the second is the fingerprint stored in
 * it. The seed keeps a client from choosing {@code jti}s that all land in one bucket. Two live
 * keys meet only if 64 bits of SHA-256 collide within one bucket of a few dozen entries: about one
 * chance in 10^17 per proof, and the proof is then refused as a replay, never accepted.
 *
 * <p>Adding is read, then {@code putIfAbsent} (an empty bucket) or {@code replace(key, old, new)}
 * (the next bucket, its expired entries left out), retried when another caller changed the bucket
 * in between; after {@value #MAX_ATTEMPTS} attempts, or when a bucket would hold more than
 * {@value #MAX_BUCKET_ENTRIES} entries, the call fails closed with
 * {@link ReplayStoreUnavailableException}. The bucket count and the seed are the cache's, recorded
 * at key {@value #LAYOUT_KEY} by the first store that opens it, so that every store of one cache
 * agrees where a key lives. The cache keeps its buckets for good (no expiry of its own): there are
 * at most {@code buckets} of them, and each drops its expired entries whenever it is written.
 * Thread-safe; immutable apart from the cache.
 */
final class ReplayBuckets {

    /** The key of the cache's layout, below every bucket's. */
    static final long LAYOUT_KEY = -1L;
    /** Entries per bucket the bucket count is planned for, when the store is full. */
    static final int ENTRIES_PER_BUCKET = 48;
    /** Beyond this, a bucket refuses to grow (fail closed): a bucket that full means a broken hash. */
    static final int MAX_BUCKET_ENTRIES = 4096;
    /** Attempts before a bucket changed by others on every try fails the call closed. */
    static final int MAX_ATTEMPTS = 64;

    private final Cache<Long, ReplayBucket> cache;
    private final String cacheName;
    private final long seed;
    private final int buckets;

    private ReplayBuckets(Cache<Long, ReplayBucket> cache, String cacheName, long seed, int buckets) {
        this.cache = cache;
        this.cacheName = cacheName;
        this.seed = seed;
        this.buckets = buckets;
    }

    /**
     * @param cache a cache of buckets, new or opened by another store
     * @param cacheName its name, for messages
     * @param maxEntries the live entries the store may hold, from which a new cache's bucket count follows
     * @param random the source of a new cache's seed
     * @return the buckets of {@code cache}, on the layout recorded in it (recorded now if it was missing)
     */
    static ReplayBuckets open(Cache<Long, ReplayBucket> cache, String cacheName, int maxEntries, SecureRandom random) {
        int planned = (int) Math.max(1, (maxEntries + (long) ENTRIES_PER_BUCKET - 1) / ENTRIES_PER_BUCKET);
        cache.putIfAbsent(LAYOUT_KEY, ReplayBucket.layout(random.nextLong(), planned));
        ReplayBucket layout = Objects.requireNonNull(cache.get(LAYOUT_KEY), "layout");
        if (layout.layoutBuckets() <= 0) {
            throw new IllegalStateException("replay cache " + cacheName + " has a broken layout");
        }
        return new ReplayBuckets(cache, cacheName, layout.layoutSeed(), layout.layoutBuckets());
    }

    /** @return how many buckets keys are spread over */
    int buckets() {
        return buckets;
    }

    /**
     * @param key the replay key
     * @param expiresAt when the entry may be forgotten
     * @param nowMillis the current time
     * @return whether {@code key} was absent (or expired) and is recorded now
     * @throws ReplayStoreUnavailableException when the bucket is too full or too contended
     */
    boolean putIfAbsent(String key, Instant expiresAt, long nowMillis) {
        String hash = ReplayKeys.hash(key);
        long bucketKey = bucketOf(hash);
        long fingerprint = bits64(hash, 11);
        int expirySecond = secondsSinceEpoch(expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0));
        int nowSecond = secondsSinceEpoch(Math.floorDiv(nowMillis, 1000));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ReplayBucket current = cache.get(bucketKey);
            if (current == null) {
                if (cache.putIfAbsent(bucketKey, ReplayBucket.empty().with(fingerprint, expirySecond, nowSecond))) {
                    return true;
                }
                continue;
            }
            if (current.holdsLive(fingerprint, nowSecond)) {
                return false;
            }
            ReplayBucket next = current.with(fingerprint, expirySecond, nowSecond);
            if (next.size() > MAX_BUCKET_ENTRIES) {
                throw new ReplayStoreUnavailableException("replay cache " + cacheName + " has a bucket of more than "
                        + MAX_BUCKET_ENTRIES + " live entries", null);
            }
            if (cache.replace(bucketKey, current, next)) {
                return true;
            }
        }
        throw new ReplayStoreUnavailableException("replay cache " + cacheName + ": a bucket changed under "
                + MAX_ATTEMPTS + " attempts in a row", null);
    }

    /** @return the bucket of a hash: its first 64 bits, mixed with the seed, onto 0 .. buckets - 1 */
    long bucketOf(String hash) {
        return Math.floorMod(mix(bits64(hash, 0) ^ seed), buckets);
    }

    /** @return the 64 bits that the 11 base64url characters from {@code from} carry, without their last 2 */
    static long bits64(String hash, int from) {
        long bits = 0;
        for (int i = from; i < from + 10; i++) {
            bits = bits << 6 | Base64Url.value(hash.charAt(i));
        }
        return bits << 4 | Base64Url.value(hash.charAt(from + 10)) >>> 2;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int secondsSinceEpoch(long epochSecond) {
        return (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(0, epochSecond - ReplayBucket.EPOCH_SECOND));
    }
}
