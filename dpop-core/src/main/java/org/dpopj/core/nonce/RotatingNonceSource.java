package org.dpopj.core.nonce;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.NonceSource;

/**
 * An {@link HmacNonceSource} whose secrets follow the settings: on every call it reads
 * {@link DPoPSettings#NONCE_SECRET} and {@link DPoPSettings#NONCE_PREVIOUS_SECRET} and, when either
 * changed, builds the source anew, so a rotation needs no restart. Values are compared as strings;
 * neither is ever logged. A changed value that is invalid (missing, or under
 * {@value HmacNonceSource#MIN_SECRET_BYTES} bytes) is refused with one warning naming the key, and
 * the last valid secrets stay in use: a typo in a rotation must neither stop the service nor weaken
 * it.
 *
 * <p>Thread-safe: the current secrets and their source are one immutable value behind a volatile
 * reference; two threads that see the same change both build an equal source, and either wins.
 */
final class RotatingNonceSource implements NonceSource {

    private static final System.Logger LOG = System.getLogger(HmacNonceSource.class.getName());

    /** The secrets as read, and the source built from them. */
    private record Current(String secret, String previousSecret, HmacNonceSource source) {
    }

    private final DPoPSettings settings;
    private final Duration step;
    private volatile Current current;
    /** The last refused pair, so that it is reported once, not on every request. */
    private volatile Current refused;

    RotatingNonceSource(DPoPSettings settings, Duration step) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.step = Objects.requireNonNull(step, "step");
        String secret = settings.string(DPoPSettings.NONCE_SECRET).orElse(null);
        String previous = settings.string(DPoPSettings.NONCE_PREVIOUS_SECRET).orElse(null);
        this.current = new Current(secret, previous, build(secret, previous));
    }

    private HmacNonceSource build(String secret, String previous) {
        if (secret == null) {
            throw new DPoPConfigurationException(DPoPSettings.NONCE_SECRET, "is required");
        }
        byte[] bytes = requireLength(DPoPSettings.NONCE_SECRET, secret);
        byte[] previousBytes = previous == null ? null : requireLength(DPoPSettings.NONCE_PREVIOUS_SECRET, previous);
        return HmacNonceSource.create(bytes, previousBytes, step);
    }

    private static byte[] requireLength(String key, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < HmacNonceSource.MIN_SECRET_BYTES) {
            throw new DPoPConfigurationException(key, "must be at least " + HmacNonceSource.MIN_SECRET_BYTES + " bytes");
        }
        return bytes;
    }

    /** @return the source for the secrets the settings hold now, or the last valid one */
    private HmacNonceSource source() {
        String secret = settings.string(DPoPSettings.NONCE_SECRET).orElse(null);
        String previous = settings.string(DPoPSettings.NONCE_PREVIOUS_SECRET).orElse(null);
        Current known = current;
        if (Objects.equals(secret, known.secret()) && Objects.equals(previous, known.previousSecret())) {
            return known.source();
        }
        Current bad = refused;
        if (bad != null && Objects.equals(secret, bad.secret()) && Objects.equals(previous, bad.previousSecret())) {
            return known.source();
        }
        try {
            Current rotated = new Current(secret, previous, build(secret, previous));
            current = rotated;
            LOG.log(Level.INFO, "DPoP nonce secrets changed: nonces are now issued under the new "
                    + DPoPSettings.NONCE_SECRET + (previous != null ? ", and " + DPoPSettings.NONCE_PREVIOUS_SECRET
                    + " is still accepted" : ""));
            return rotated.source();
        } catch (DPoPConfigurationException e) {
            refused = new Current(secret, previous, null);
            LOG.log(Level.WARNING, "DPoP nonce secrets not changed: " + e.getMessage()
                    + "; the previous secrets stay in use");
            return known.source();
        }
    }

    @Override
    public String issue(Instant now) {
        return source().issue(now);
    }

    @Override
    public Status check(String nonce, Instant now) {
        return source().check(nonce, now);
    }

    @Override
    public Duration maxLifetime() {
        return Duration.ofSeconds(3 * step.getSeconds());
    }

    @Override
    public String toString() {
        return "RotatingNonceSource[" + current.source() + "]";
    }
}
