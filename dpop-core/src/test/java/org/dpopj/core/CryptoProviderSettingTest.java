package org.dpopj.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code dpop.crypto.provider} is checked when the settings are read, and names the key when wrong. */
class CryptoProviderSettingTest {

    @Test
    void refusesAProviderNameThatIsNotRegistered() {
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.CRYPTO_PROVIDER, "NoSuchProvider"));

        assertThatThrownBy(() -> DPoPValidator.builder().settings(settings))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining(DPoPSettings.CRYPTO_PROVIDER);
    }

    @Test
    void acceptsTheKnownValues() {
        for (String value : new String[] {"auto", "jdk", "accp", "SunEC"}) {
            assertThatCode(() -> DPoPValidator.builder().cryptoProvider(value)).doesNotThrowAnyException();
        }
    }
}
