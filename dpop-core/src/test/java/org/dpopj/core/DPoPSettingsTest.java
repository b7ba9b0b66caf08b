package org.dpopj.core;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One key per setting, typed readers that name the key at fault. */
class DPoPSettingsTest {

    @ParameterizedTest
    @CsvSource({"PT60S, 60", "60s, 60", "60, 60", "2m, 120", "1h, 3600", "1500ms, 1"})
    void parsesDurations(String text, long seconds) {
        assertThat(DPoPSettings.parseDuration("k", text).getSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "PT-5S", "5 parsecs"})
    void refusesBadDurationsNamingTheKey(String text) {
        assertThatThrownBy(() -> DPoPSettings.parseDuration(DPoPSettings.PROOF_MAX_AGE, text))
                .isInstanceOfSatisfying(DPoPConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(DPoPSettings.PROOF_MAX_AGE));
    }

    @Test
    void appliesEverySettingToTheBuilder() {
        DPoPSettings settings = DPoPSettings.from(Map.of(
                DPoPSettings.MODE, "dpop-or-bearer",
                DPoPSettings.ALGORITHMS, "ES256, EdDSA",
                DPoPSettings.PROOF_MAX_AGE, "30s",
                DPoPSettings.NONCE_MODE, "required",
                DPoPSettings.NONCE_SECRET, "0123456789abcdef0123456789abcdef"));

        DPoPValidator validator = DPoPValidator.builder().settings(settings)
                .replayStore(TestReplayStores.ehcache(Duration.ofSeconds(200), java.time.Clock.systemUTC()))
                .tokenEndpointOnly().build();

        assertThat(validator.mode()).isEqualTo(Mode.DPOP_OR_BEARER);
        assertThat(validator.algorithms()).containsExactly("ES256", "EdDSA");
        assertThat(validator.nonceMode()).isEqualTo(NonceMode.REQUIRED);
        assertThat(validator.freshNonce()).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"dpop.mode, bearer-only", "dpop.nonce.mode, sometimes", "dpop.proof.algorithms, HS256",
            "dpop.proof.max-size, -1", "dpop.proof.max-age, never"})
    void refusesInvalidValueNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> DPoPValidator.builder().settings(DPoPSettings.from(Map.of(key, value))))
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    @Test
    void blankValuesCountAsAbsent() {
        assertThat(DPoPSettings.from(Map.of(DPoPSettings.MODE, "  ")).string(DPoPSettings.MODE)).isEmpty();
    }

    @Test
    void firstSourceWins() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.MODE, "dpop-only"))
                .orElse(DPoPSettings.from(Map.of(DPoPSettings.MODE, "dpop-or-bearer", DPoPSettings.CLOCK_SKEW, "5s")));

        assertThat(settings.string(DPoPSettings.MODE)).contains("dpop-only");
        assertThat(settings.duration(DPoPSettings.CLOCK_SKEW)).contains(Duration.ofSeconds(5));
    }
}
