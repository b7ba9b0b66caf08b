package org.dpopj.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * Hashes of access tokens, for cache keys and log lines that must never hold the token itself
 * (RFC 9449 §11.9 treats the token as a secret; RFC 6750 §5.3 forbids leaking it).
 *
 * <p>Stateless and thread-safe. Arguments must not be {@code null}.
 */
public final class TokenHashes {

    private static final int PREFIX_LENGTH = 8;

    private TokenHashes() {
    }

    /**
     * @param token the token (US-ASCII in practice; hashed as UTF-8)
     * @return the unpadded base64url encoding of the token's SHA-256 hash (43 characters)
     */
    public static String sha256Base64Url(String token) {
        Objects.requireNonNull(token, "token");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java SE specification", e);
        }
    }

    /**
     * @param token the token
     * @return the first 8 characters of {@link #sha256Base64Url(String)}: enough to correlate log
     *     lines, far too little to recover or replay the token
     */
    public static String hashPrefix(String token) {
        return sha256Base64Url(token).substring(0, PREFIX_LENGTH);
    }
}
