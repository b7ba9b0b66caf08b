package org.dpopj.core.token;

import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.dpopj.core.AccessToken;

/**
 * JWT access tokens already verified, remembered by the SHA-256 of the whole token (the hash {@link
 * org.dpopj.core.PresentedToken} computes once per request for {@code ath}) so that a client sending
 * the same token for minutes costs one signature check, not one per request. An entry answers only
 * while the clock is inside the token's own validity (its {@code nbf}/{@code iat} and {@code exp}, with
 * the clock skew) and only while the issuer's current key set still holds the key that verified it
 * (same {@code kid}, {@code alg} and RFC 7638 thumbprint): a key removed from the JWKS ends its tokens'
 * entries at the fetch that sees it gone, as it ends their verification. Only successful verifications
 * are remembered. Bounded: when full, expired entries are dropped (at most once per second), then
 * arbitrary ones. Thread-safe, lock-free on hits; no threads, no static state.
 */
final class VerifiedTokenCache {

    /**
     * A verified token and what keeps it valid.
     *
     * @param notBefore the first instant it is accepted ({@code nbf} and {@code iat} minus the skew)
     * @param notAfter the first instant it is no longer accepted ({@code exp} plus the skew)
     */
    record Entry(AccessToken token, JwksSource.VerificationKey key, Instant notBefore, Instant notAfter) {

        boolean validAt(Instant now) {
            return !now.isBefore(notBefore) && now.isBefore(notAfter);
        }

        /** Whether {@code keys} (the issuer's current key set) still has the key that verified the token. */
        boolean keyStillIn(Iterable<JwksSource.VerificationKey> keys) {
            for (JwksSource.VerificationKey candidate : keys) {
                if (sameKey(candidate, key)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameKey(JwksSource.VerificationKey a, JwksSource.VerificationKey b) {
            return a == b || (java.util.Objects.equals(a.kid(), b.kid()) && java.util.Objects.equals(a.alg(), b.alg())
                    && a.jwk().thumbprint().equals(b.jwk().thumbprint()));
        }
    }

    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> entries;
    /** Epoch second before which no purge of expired entries runs again. */
    private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

    /** @param maxEntries the bound; 0 remembers nothing */
    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
    }

    /** @return the entry remembered for this token hash, not yet checked; {@code null} when none */
    Entry lookup(String tokenHash) {
        return maxEntries == 0 ? null : entries.get(tokenHash);
    }

    /**
     * @param state the issuer's current keys; when it has none usable, no entry answers
     * @return whether {@code entry} answers now: inside the token's validity and with its key still
     *     published; an entry whose key is gone or whose token has expired is dropped
     */
    boolean stillValid(String tokenHash, Entry entry, JwksSource.State state, Instant now) {
        if (state.keys() == null) {
            return false;
        }
        if (!entry.keyStillIn(state.keys()) || !now.isBefore(entry.notAfter())) {
            entries.remove(tokenHash, entry);
            return false;
        }
        return entry.validAt(now);
    }

    void put(String tokenHash, Entry entry, Instant now) {
        if (maxEntries == 0 || !now.isBefore(entry.notAfter())) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(tokenHash)) {
            makeRoom(now);
        }
        entries.put(tokenHash, entry);
    }

    int size() {
        return entries.size();
    }

    private void makeRoom(Instant now) {
        long second = now.getEpochSecond();
        long due = nextPurge.get();
        if (second >= due && nextPurge.compareAndSet(due, second + 1)) {
            entries.values().removeIf(entry -> !now.isBefore(entry.notAfter()));
        }
        Iterator<String> victims = entries.keySet().iterator();
        while (entries.size() >= maxEntries && victims.hasNext()) {
            victims.next();
            victims.remove();
        }
    }
}
