package org.dpopj.core.replay;

import java.util.Objects;
import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.Sha256;

/**
 * The compact forms in which replay stores keep a replay key: only what replay needs, a fixed-size
 * hash of the key scope and the {@code jti}. The validator's keys are already base64url SHA-256
 * hashes of the thumbprint and the {@code jti} (43 characters); any other string is hashed first.
 * Stateless.
 */
public final class ReplayKeys {

    /** The characters of a base64url SHA-256 hash without padding. */
    static final int HASH_LENGTH = 43;
    /** The characters of {@link #shortKey}: 96 bits. */
    public static final int SHORT_KEY_LENGTH = 16;

    private ReplayKeys() {
    }

    /**
     * @param key a replay key
     * @return the first 96 bits of its hash as 16 base64url characters: the key a store whose cache
     *     holds {@code String}s (Hazelcast, Infinispan, a cache an operator configured) keeps, 56
     *     bytes of heap where the 43 characters take 88, and a {@code String} still, which every
     *     server marshals. Two keys meet only if 96 bits of SHA-256 collide: a new proof meets one of
     *     a million live entries with a chance of about one in 10^22, and is then refused as a
     *     replay, never accepted.
     */
    public static String shortKey(String key) {
        return hash(key).substring(0, SHORT_KEY_LENGTH);
    }

    /** @return {@code key} if it is a base64url SHA-256 hash already, else its base64url SHA-256 hash */
    static String hash(String key) {
        Objects.requireNonNull(key, "key");
        return key.length() == HASH_LENGTH && isBase64Url(key) ? key : Sha256.base64Url(key);
    }

    private static boolean isBase64Url(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Base64Url.isAlphabet(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
