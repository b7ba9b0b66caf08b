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

import org.dpopj.core.spi.NonceSource;

/**
 * Stateless server nonces (RFC 9449 §8, §9): a nonce is a time-step number and an HMAC-SHA256 tag over
 * it, keyed with a secret shared by every node, so any node accepts another node's nonce with no
 * shared state. The current and the previous step are accepted ({@link Status#EXPIRING} for the
 * previous one, so the response carries a fresh nonce); the next step is accepted too, to absorb
 * clock differences between nodes. A nonce thus stays valid between one and two steps.
 *
 * <p>Immutable and thread-safe. A nonce reveals the time step it was issued in and nothing else.
 * <pre>{@code
 * NonceSource nonces = HmacNonceSource.create(secretBytes, Duration.ofMinutes(1));
 * }</pre>
 */
public final class HmacNonceSource implements NonceSource {

    /** The shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final byte[] LABEL = "dpopj nonce v1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = Long.BYTES + TAG_BYTES;

    private final SecretKeySpec key;
    private final long stepSeconds;

    private HmacNonceSource(byte[] secret, Duration step) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.stepSeconds = step.getSeconds();
    }

    /**
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param step the time step, at least one second
     * @return a nonce source
     */
    public static HmacNonceSource create(byte[] secret, Duration step) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the nonce secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (step.getSeconds() < 1) {
            throw new IllegalArgumentException("the nonce step must be at least one second");
        }
        return new HmacNonceSource(secret, step);
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
        long step = stepOf(now);
        ByteBuffer nonce = ByteBuffer.allocate(NONCE_BYTES).putLong(step).put(tag(step));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
    }

    @Override
    public Status check(String nonce, Instant now) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Status.INVALID;
        }
        if (bytes.length != NONCE_BYTES || nonce.indexOf('=') >= 0) {
            return Status.INVALID;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long step = buffer.getLong();
        byte[] tag = Arrays.copyOfRange(bytes, Long.BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(tag, tag(step))) {
            return Status.INVALID;
        }
        long current = stepOf(now);
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

    private byte[] tag(long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
            return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is available on every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "HmacNonceSource[step=" + stepSeconds + "s]";
    }
}
