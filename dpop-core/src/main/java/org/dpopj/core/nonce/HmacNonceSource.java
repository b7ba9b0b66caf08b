package org.dpopj.core.nonce;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.NonceSource;

/**
 * Stateless, unpredictable server nonces (RFC 9449 §8, §9): every nonce is 144 fresh random bits, the
 * time-step number and an HMAC-SHA256 tag over both (truncated to 128 bits), keyed with a secret shared
 * by every node, base64url-encoded without padding (56 characters, all NQCHAR, RFC 9449 §8.1). No two
 * nonces are alike, even within one step, so a client cannot predict the next one; yet any node
 * accepts another node's nonce with no shared state, by recomputing the tag and comparing it in
 * constant time. The current and the previous step are accepted ({@link Status#EXPIRING} for the
 * previous one, so the response carries a fresh nonce); the next step is accepted too, to absorb
 * clock differences between nodes. A nonce thus stays valid between one and two steps. Anything else,
 * including input of the wrong length or with characters outside the base64url alphabet, is
 * {@link Status#INVALID}, without an exception.
 *
 * <p>Secrets rotate without a restart: {@link #create(byte[], byte[], Duration)} issues under the
 * current secret and accepts the current and the previous one, and {@link #fromSettings} reads both
 * from the settings on every call.
 *
 * <p>Thread-safe: the secret is fixed at construction and the {@link SecureRandom} it holds is safe
 * for concurrent use. A nonce reveals the time step it was issued in; the rest is random or MAC output.
 * <pre>{@code
 * NonceSource nonces = HmacNonceSource.create(secretBytes, Duration.ofMinutes(1));
 * }</pre>
 */
public final class HmacNonceSource implements NonceSource {

    /** The shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final byte[] LABEL = "dpopj nonce v2".getBytes(StandardCharsets.US_ASCII);
    /** 18, not 16, so that the 42-byte nonce encodes to whole base64 groups: one spelling per nonce. */
    private static final int RANDOM_BYTES = 18;
    private static final int TAG_BYTES = 16;
    private static final int SIGNED_BYTES = RANDOM_BYTES + Long.BYTES;
    private static final int NONCE_BYTES = SIGNED_BYTES + TAG_BYTES;
    private static final int NONCE_CHARS = NONCE_BYTES / 3 * 4;

    private final SecretKeySpec key;
    /** A secret also accepted, during a rotation; {@code null} when there is none. */
    private final SecretKeySpec previousKey;
    private final long stepSeconds;
    private final SecureRandom random = new SecureRandom();

    private HmacNonceSource(byte[] secret, byte[] previousSecret, Duration step) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.previousKey = previousSecret == null ? null : new SecretKeySpec(previousSecret.clone(), "HmacSHA256");
        this.stepSeconds = step.getSeconds();
    }

    /**
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param step the time step, at least one second
     * @return a nonce source
     */
    public static HmacNonceSource create(byte[] secret, Duration step) {
        return create(secret, null, step);
    }

    /**
     * A source during a secret rotation: it issues nonces under {@code secret} and accepts nonces
     * under {@code secret} or {@code previousSecret}, so that nodes still issuing under the previous
     * secret, and nonces a client holds, stay valid while the new secret spreads.
     *
     * @param secret the secret nonces are issued under, at least {@value #MIN_SECRET_BYTES} bytes
     * @param previousSecret a secret also accepted, at least {@value #MIN_SECRET_BYTES} bytes, or
     *        {@code null}
     * @param step the time step, at least one second
     * @return a nonce source
     */
    public static HmacNonceSource create(byte[] secret, byte[] previousSecret, Duration step) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(step, "step");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the nonce secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (previousSecret != null && previousSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the previous nonce secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (step.getSeconds() < 1) {
            throw new IllegalArgumentException("the nonce step must be at least one second");
        }
        return new HmacNonceSource(secret, previousSecret, step);
    }

    /**
     * A source that reads {@link DPoPSettings#NONCE_SECRET} and {@link DPoPSettings#NONCE_PREVIOUS_SECRET}
     * (UTF-8 bytes) from {@code settings} again on every call, so that a rotated secret applies from
     * the next request without a restart, as soon as the settings' source answers the new value
     * (MicroProfile Config reads its sources on every lookup). A value changed to one that is too
     * short is ignored with a warning naming the key, and the last valid secrets stay in use.
     *
     * @param settings the settings, read on every call
     * @param step the time step, at least one second
     * @return the nonce source
     * @throws DPoPConfigurationException naming the key, when a secret is missing or shorter than
     *         {@value #MIN_SECRET_BYTES} bytes now
     */
    public static NonceSource fromSettings(DPoPSettings settings, Duration step) {
        return new RotatingNonceSource(settings, step);
    }

    /**
     * A source with a random secret: its nonces are valid on this node only. Use it on a single node;
     * a cluster needs {@link #create(byte[], Duration)} with a shared secret.
     *
     * @param step the time step
     * @return a node-local nonce source
     */
    public static HmacNonceSource withRandomSecret(Duration step) {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return create(secret, step);
    }

    @Override
    public String issue(Instant now) {
        byte[] randomPart = new byte[RANDOM_BYTES];
        random.nextBytes(randomPart);
        byte[] signed = ByteBuffer.allocate(SIGNED_BYTES).put(randomPart).putLong(stepOf(now)).array();
        byte[] nonce = ByteBuffer.allocate(NONCE_BYTES).put(signed).put(tag(key, signed)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    @Override
    public Status check(String nonce, Instant now) {
        if (!isWellFormed(nonce)) {
            return Status.INVALID;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(nonce);
        byte[] signed = Arrays.copyOf(bytes, SIGNED_BYTES);
        byte[] presented = Arrays.copyOfRange(bytes, SIGNED_BYTES, NONCE_BYTES);
        // both tags are always computed and compared, so the time taken says nothing about which matched
        boolean current = MessageDigest.isEqual(presented, tag(key, signed));
        boolean previous = previousKey != null && MessageDigest.isEqual(presented, tag(previousKey, signed));
        if (!(current | previous)) {
            return Status.INVALID;
        }
        return statusOf(ByteBuffer.wrap(signed, RANDOM_BYTES, Long.BYTES).getLong(), stepOf(now));
    }

    /** Exactly {@value #NONCE_CHARS} base64url characters, checked before anything is decoded or hashed. */
    private static boolean isWellFormed(String nonce) {
        if (nonce == null || nonce.length() != NONCE_CHARS) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            boolean base64Url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64Url) {
                return false;
            }
        }
        return true;
    }

    /** The issuing step and the next are fresh, the previous one is expiring, any other is invalid. */
    private static Status statusOf(long step, long current) {
        if (step == current || step == current + 1) {
            return Status.FRESH;
        }
        return step == current - 1 ? Status.EXPIRING : Status.INVALID;
    }

    @Override
    public Duration maxLifetime() {
        return Duration.ofSeconds(3 * stepSeconds);
    }

    private long stepOf(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), stepSeconds);
    }

    /** HMAC-SHA256 over a label, the random part and the step, truncated to {@value #TAG_BYTES} bytes. */
    private static byte[] tag(SecretKeySpec secret, byte[] signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            mac.update(LABEL);
            mac.update(signed);
            return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is available on every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "HmacNonceSource[step=" + stepSeconds + "s" + (previousKey != null ? ", with a previous secret" : "") + "]";
    }
}
