package org.dpopj.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.servlet.testing.FakeMicroProfileConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingsCascadeTest {

    private static final String KEY = DPoPSettings.PROOF_MAX_AGE;

    private final Map<String, String> own = new HashMap<>();
    private final Map<String, String> context = new HashMap<>();

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty(KEY);
        System.clearProperty("dpop.token.jwks-uri");
    }

    private SettingsCascade cascade() {
        return SettingsCascade.forAdapter(new SettingsCascade.Source("filter init-params", own::get), own.keySet(),
                new SettingsCascade.Source("servlet context params", context::get));
    }

    private SettingsCascade cascadeWithMicroProfileConfig(Map<String, String> config) {
        FakeMicroProfileConfig installed = FakeMicroProfileConfig.install(config);
        try {
            return cascade();
        } finally {
            installed.close();
        }
    }

    @Test
    void ownSourceWinsOverEveryOther() {
        own.put(KEY, "1s");
        context.put(KEY, "2s");
        System.setProperty(KEY, "4s");
        assertThat(cascadeWithMicroProfileConfig(Map.of(KEY, "3s")).settings().string(KEY)).contains("1s");
    }

    @Test
    void contextParamsWinOverMicroProfileConfigAndSystemProperties() {
        context.put(KEY, "2s");
        System.setProperty(KEY, "4s");
        assertThat(cascadeWithMicroProfileConfig(Map.of(KEY, "3s")).settings().string(KEY)).contains("2s");
    }

    @Test
    void microProfileConfigWinsOverSystemProperties() {
        System.setProperty(KEY, "4s");
        assertThat(cascadeWithMicroProfileConfig(Map.of(KEY, "3s")).settings().string(KEY)).contains("3s");
    }

    @Test
    void systemPropertiesAreTheLastSource() {
        System.setProperty(KEY, "4s");
        assertThat(cascadeWithMicroProfileConfig(Map.of()).settings().string(KEY)).contains("4s");
    }

    @Test
    void consultsMicroProfileConfigOnlyWhenTheServerHasIt() {
        assertThat(cascadeWithMicroProfileConfig(Map.of()).sourceNames()).containsExactly(
                "filter init-params", "servlet context params", "MicroProfile Config", "system properties");
        assertThat(cascade().sourceNames()).containsExactly(
                "filter init-params", "servlet context params", "system properties");
    }

    @Test
    void applicationCascadeHasNoAdapterSource() {
        SettingsCascade application = SettingsCascade.forApplication(new SettingsCascade.Source("servlet context params", context::get));
        assertThat(application.sourceNames()).containsExactly("servlet context params", "system properties");
        assertThat(application.ownValidatorSettings()).isFalse();
    }

    @Test
    void adapterWithItsOwnTokenSourceInheritsNoTokenKeys() {
        own.put("dpop.token.introspection-uri", "http://127.0.0.1:9/introspect");
        context.put("dpop.token.audience", "api");
        context.put(KEY, "2s");
        DPoPSettings settings = cascade().settings();
        assertThat(settings.string("dpop.token.audience")).isEmpty();
        assertThat(settings.string(KEY)).contains("2s");
    }

    @Test
    void adapterKeysAloneConfigureNoValidatorOfItsOwn() {
        own.put(SettingsCascade.SCOPES, "admin");
        own.put(DPoPSettings.ROLES_FROM_SCOPES, "true");
        own.put(DPoPSettings.HTU_BASE_URI, "https://api.example.com");
        own.put("dpop.htu.forwarded-headers", "forwarded");
        assertThat(cascade().ownValidatorSettings()).isFalse();
        own.put(KEY, "1s");
        assertThat(cascade().ownValidatorSettings()).isTrue();
    }

    @Test
    void noticesATokenSourceInAnySource() {
        assertThat(cascade().configuresTokenSource()).isFalse();
        System.setProperty("dpop.token.jwks-uri", "http://127.0.0.1:9/jwks");
        assertThat(cascade().configuresTokenSource()).isTrue();
    }

    @Test
    void explainedFailureNamesTheSourceThatSetTheKeyAndEverySourceConsulted() {
        context.put(KEY, "soon");
        DPoPConfigurationException explained = cascade().explain(new DPoPConfigurationException(KEY, "is not a duration"));
        assertThat(explained.key()).isEqualTo(KEY);
        assertThat(explained.getMessage()).isEqualTo(KEY + ": is not a duration (set in servlet context params; "
                + "sources consulted, first wins: filter init-params, servlet context params, system properties)");
    }

    @Test
    void explainedFailureSaysWhenNoSourceSetTheKey() {
        DPoPConfigurationException explained = cascade().explain(
                new DPoPConfigurationException("dpop.token.jwks-uri", "an access-token source is required"));
        assertThat(explained.getMessage()).contains("(set nowhere; sources consulted, first wins: filter init-params,");
    }
}
