package org.dpopj.core.jose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The library's one hashing helper: SHA-256 (FIPS 180-4), as used by {@code ath} (RFC 9449 §4.2),
 * thumbprints (RFC 7638), replay keys and token hashes for logs and caches. Each hash clones a
 * prototype digest instead of asking the providers for a new one (a provider look-up costs more than
 * hashing a token); the prototype itself never digests anything, so it never changes. Thread-safe.
 */
public final class Sha256 {

    /** Never updated, only cloned; {@code null} when the platform's SHA-256 cannot be cloned. */
    private static final MessageDigest PROTOTYPE = prototype();

    private Sha256() {
    }

    private static MessageDigest prototype() {
        try {
            MessageDigest digest = jdkDigest();
            digest.clone();
            return digest;
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }

    /**
     * The JDK's own SHA-256 (the {@code SUN} provider: CPU intrinsics, no buffering) when the platform
     * has it, whatever provider an application installed first: a native provider such as Amazon
     * Corretto Crypto Provider copies every input into a growing buffer of its own first, which made
     * hashing an access token cost more than twice its share of a validation. Any other platform's
     * first SHA-256 otherwise; the digest is the same.
     */
    private static MessageDigest jdkDigest() {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            return newDigest();
        }
    }

    /** @return SHA-256 of the UTF-8 bytes of {@code text} */
    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return SHA-256 of {@code bytes} */
    public static byte[] of(byte[] bytes) {
        if (PROTOTYPE != null) {
            try {
                return ((MessageDigest) PROTOTYPE.clone()).digest(bytes);
            } catch (CloneNotSupportedException e) {
                // cloned once already at start-up: not reached
            }
        }
        return newDigest().digest(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** @return base64url of SHA-256 of the UTF-8 bytes of {@code text} (43 characters) */
    public static String base64Url(String text) {
        return Base64Url.encode(of(text));
    }
}
