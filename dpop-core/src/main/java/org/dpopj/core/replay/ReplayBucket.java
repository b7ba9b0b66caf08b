package org.dpopj.core.replay;

import java.util.Arrays;

/**
 * One value of a bucketed replay cache: the 64-bit fingerprints of the replay keys that hash to
 * the bucket, each with its expiry in whole seconds since {@link #EPOCH_SECOND} (2020-01-01), in
 * two parallel arrays: 12 bytes an entry, where a cache entry of its own costs an entry well over
 * 100 bytes of the cache's own metadata. Immutable: a bucket is changed by building the next one
 * ({@link #with}) and swapping it in with the cache's {@code replace(key, old, new)}, so two
 * callers that add to one bucket at once cannot both succeed with what they read. Equal by
 * content, which is what that {@code replace} compares.
 */
final class ReplayBucket {

    /** 2020-01-01T00:00:00Z: expiries count seconds from it, so that an {@code int} lasts until 2088. */
    static final long EPOCH_SECOND = 1_577_836_800L;

    private static final ReplayBucket EMPTY = new ReplayBucket(new long[0], new int[0]);

    private final long[] fingerprints;
    private final int[] expiries;

    private ReplayBucket(long[] fingerprints, int[] expiries) {
        this.fingerprints = fingerprints;
        this.expiries = expiries;
    }

    /** @return a bucket that holds nothing */
    static ReplayBucket empty() {
        return EMPTY;
    }

    /**
     * @param seed the hashing seed of the cache
     * @param buckets how many buckets keys are spread over
     * @return the layout a cache's first store records, for every later store of the same cache
     */
    static ReplayBucket layout(long seed, int buckets) {
        return new ReplayBucket(new long[] {seed, buckets}, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE});
    }

    /** @return the seed of a {@link #layout} */
    long layoutSeed() {
        return fingerprints[0];
    }

    /** @return the bucket count of a {@link #layout} */
    int layoutBuckets() {
        return (int) fingerprints[1];
    }

    /**
     * @param fingerprint a key's fingerprint
     * @param nowSecond the current second since {@link #EPOCH_SECOND}
     * @return whether the bucket holds {@code fingerprint} with an expiry after {@code nowSecond}
     */
    boolean holdsLive(long fingerprint, int nowSecond) {
        for (int i = 0; i < fingerprints.length; i++) {
            if (fingerprints[i] == fingerprint && expiries[i] > nowSecond) {
                return true;
            }
        }
        return false;
    }

    /** @return how many entries the bucket holds, expired ones included */
    int size() {
        return fingerprints.length;
    }

    /**
     * @param fingerprint the fingerprint to add
     * @param expirySecond its expiry, in seconds since {@link #EPOCH_SECOND}
     * @param nowSecond the current second: entries that expired by then are left out
     * @return the bucket with {@code fingerprint} added and without its expired entries
     */
    ReplayBucket with(long fingerprint, int expirySecond, int nowSecond) {
        int live = 0;
        for (int expiry : expiries) {
            if (expiry > nowSecond) {
                live++;
            }
        }
        long[] nextFingerprints = new long[live + 1];
        int[] nextExpiries = new int[live + 1];
        int at = 0;
        for (int i = 0; i < fingerprints.length; i++) {
            if (expiries[i] > nowSecond) {
                nextFingerprints[at] = fingerprints[i];
                nextExpiries[at] = expiries[i];
                at++;
            }
        }
        nextFingerprints[at] = fingerprint;
        nextExpiries[at] = expirySecond;
        return new ReplayBucket(nextFingerprints, nextExpiries);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ReplayBucket bucket
                && Arrays.equals(bucket.fingerprints, fingerprints) && Arrays.equals(bucket.expiries, expiries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fingerprints) * 31 + Arrays.hashCode(expiries);
    }

    @Override
    public String toString() {
        return "ReplayBucket[" + fingerprints.length + " entries]";
    }
}
