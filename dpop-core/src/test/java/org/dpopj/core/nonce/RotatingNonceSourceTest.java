package org.dpopj.core.nonce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.NonceSource.Status;
import org.junit.jupiter.api.Test;

/**
 * Nonce secrets from the settings, rotated without a restart: the settings are read on every call,
 * as MicroProfile Config is by the adapters' lookup, so a changed value applies to the next request.
 */
class RotatingNonceSourceTest {

    private static final String OLD = "old-secret-0123456789abcdef0123456789";
    private static final String NEW = "new-secret-0123456789abcdef0123456789";
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:30Z");

    private final Map<String, String> config = new ConcurrentHashMap<>(Map.of(DPoPSettings.NONCE_SECRET, OLD));
    private final DPoPSettings settings = DPoPSettings.from(config::get);

    private static HmacNonceSource only(String secret) {
        return HmacNonceSource.create(secret.getBytes(StandardCharsets.UTF_8), STEP);
    }

    @Test
    void appliesARotatedSecretFromTheNextCallWithoutARestart() {
        NonceSource nonces = HmacNonceSource.fromSettings(settings, STEP);
        String underOld = nonces.issue(NOW);

        config.put(DPoPSettings.NONCE_SECRET, NEW);
        config.put(DPoPSettings.NONCE_PREVIOUS_SECRET, OLD);
        String underNew = nonces.issue(NOW);

        assertThat(only(NEW).check(underNew, NOW)).isEqualTo(Status.FRESH);
        assertThat(only(OLD).check(underNew, NOW)).isEqualTo(Status.INVALID);
        // a nonce a client holds from before the rotation stays valid while the previous secret is listed
        assertThat(nonces.check(underOld, NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void refusesNoncesUnderASecretNoLongerListed() {
        NonceSource nonces = HmacNonceSource.fromSettings(settings, STEP);
        String underOld = nonces.issue(NOW);

        config.put(DPoPSettings.NONCE_SECRET, NEW);

        assertThat(nonces.check(underOld, NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void acceptsANodeIssuingUnderTheIncomingSecretOnceItIsListedAsPrevious() {
        // rotation step one on this node: the new secret accepted, not yet issued under
        config.put(DPoPSettings.NONCE_PREVIOUS_SECRET, NEW);
        NonceSource nonces = HmacNonceSource.fromSettings(settings, STEP);

        assertThat(nonces.check(only(NEW).issue(NOW), NOW)).isEqualTo(Status.FRESH);
        assertThat(only(OLD).check(nonces.issue(NOW), NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void keepsTheLastValidSecretsWhenAChangedSecretIsTooShort() {
        NonceSource nonces = HmacNonceSource.fromSettings(settings, STEP);

        config.put(DPoPSettings.NONCE_SECRET, "short");

        assertThat(only(OLD).check(nonces.issue(NOW), NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void refusesAtStartASecretShorterThan32BytesNamingTheKey() {
        config.put(DPoPSettings.NONCE_SECRET, "0123456789abcdef0123456789abcde");

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> HmacNonceSource.fromSettings(settings, STEP))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.NONCE_SECRET));
    }

    @Test
    void refusesAtStartAPreviousSecretShorterThan32BytesNamingItsKey() {
        config.put(DPoPSettings.NONCE_PREVIOUS_SECRET, "too-short");

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> HmacNonceSource.fromSettings(settings, STEP))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.NONCE_PREVIOUS_SECRET));
    }

    @Test
    void countsA32ByteSecretInUtf8Bytes() {
        // 16 two-byte characters: 32 bytes, accepted
        config.put(DPoPSettings.NONCE_SECRET, "\u00e9".repeat(16));

        assertThat(HmacNonceSource.fromSettings(settings, STEP).issue(NOW)).hasSize(56);
    }
}
