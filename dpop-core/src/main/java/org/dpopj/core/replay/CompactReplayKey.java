package org.dpopj.core.replay;

import org.dpopj.core.jose.Base64Url;

/**
 * A replay key in 96 bits (a {@code long} and an {@code int}), for the caches {@link JCacheReplayStore}
 * creates in the embedded Ehcache: 24 bytes on the heap (12 of object header, 12 of hash) where the
 * 43-character {@code String} takes 88, and the smallest an object key can be (a {@link Long}, with
 * 64 bits, takes 24 bytes too). The validator's keys are already base64url SHA-256 hashes of the
 * thumbprint and the {@code jti}, so their first 96 bits (16 characters) are taken as they are; any
 * other string is hashed first. Two different keys meet only if 96 bits of SHA-256 collide: a new
 * proof meets one of a million live entries with a chance of about one in 10^22, and then it is
 * refused as a replay, never accepted; finding a second proof that meets a given live entry takes
 * about 2^96 hash evaluations. Immutable.
 */
final class CompactReplayKey {

    private final long high;
    private final int low;

    private CompactReplayKey(long high, int low) {
        this.high = high;
        this.low = low;
    }

    /** @return the compact form of {@code key} */
    static CompactReplayKey of(String key) {
        String hash = ReplayKeys.hash(key);
        long first = bits(hash, 0, 10);
        long second = bits(hash, 10, 6);
        // 60 + 36 bits: the top 4 of the second part complete the long, its low 32 are the int
        return new CompactReplayKey(first << 4 | second >>> 32, (int) second);
    }

    /** @return the {@code 6 * count} bits that {@code count} base64url characters from {@code from} carry */
    private static long bits(String hash, int from, int count) {
        long bits = 0;
        for (int i = from; i < from + count; i++) {
            bits = bits << 6 | Base64Url.value(hash.charAt(i));
        }
        return bits;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompactReplayKey key && key.high == high && key.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + low;
    }

    @Override
    public String toString() {
        return "CompactReplayKey";
    }
}
