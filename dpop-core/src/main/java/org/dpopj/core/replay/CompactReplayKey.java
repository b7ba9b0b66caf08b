package org.dpopj.core.replay;

import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.Sha256;

/**
 * A replay key in two {@code long}s, for the caches {@link JCacheReplayStore} creates in the embedded
 * Ehcache: 32 bytes on the heap where the 43-character {@code String} takes 88. The validator's keys
 * are already base64url SHA-256 hashes of the thumbprint and the {@code jti}, so their first 120 bits
 * (20 characters) are taken as they are; any other string is hashed first. Two different keys meet
 * only if 120 bits of SHA-256 collide (at a million live entries, about one chance in 10^24), and
 * then a proof is refused as a replay, never accepted. Immutable.
 */
final class CompactReplayKey {

    private static final int HASH_LENGTH = 43;

    private final long high;
    private final long low;

    private CompactReplayKey(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** @return the compact form of {@code key} */
    static CompactReplayKey of(String key) {
        String hash = key.length() == HASH_LENGTH && isBase64Url(key) ? key : Sha256.base64Url(key);
        return new CompactReplayKey(bits(hash, 0), bits(hash, 10));
    }

    private static boolean isBase64Url(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Base64Url.isAlphabet(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** @return the 60 bits that ten base64url characters from {@code from} carry */
    private static long bits(String hash, int from) {
        long bits = 0;
        for (int i = from; i < from + 10; i++) {
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
        return Long.hashCode(high * 31 + low);
    }

    @Override
    public String toString() {
        return "CompactReplayKey";
    }
}
