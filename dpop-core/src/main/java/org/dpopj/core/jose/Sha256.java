package org.dpopj.core.jose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The library's one hashing helper: SHA-256 (FIPS 180-4), as used by {@code ath} (RFC 9449 §4.2),
 * thumbprints (RFC 7638), replay keys and token hashes for logs and caches. Stateless and thread-safe.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** @return SHA-256 of the UTF-8 bytes of {@code text} */
    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return SHA-256 of {@code bytes} */
    public static byte[] of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return base64url of SHA-256 of the UTF-8 bytes of {@code text} (43 characters) */
    public static String base64Url(String text) {
        return Base64Url.encode(of(text));
    }
}
