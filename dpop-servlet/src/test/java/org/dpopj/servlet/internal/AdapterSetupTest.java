package org.dpopj.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.testing.Proofs;
import org.dpopj.servlet.testing.ReplayCaches;
import org.junit.jupiter.api.Test;

class AdapterSetupTest {

    private final Map<String, String> own = new HashMap<>();
    private final Map<String, String> application = new HashMap<>();
    private final Board board = new Board();

    private SettingsCascade cascade() {
        return SettingsCascade.of(List.of(new SettingsCascade.Source("own", own::get),
                new SettingsCascade.Source("application", application::get)), own.keySet());
    }

    @Test
    void usesTheGivenValidatorPublishesItAndNeverClosesIt() {
        application.putAll(ReplayCaches.tokenSettings("setup-given"));
        DPoPValidator given = DPoPValidator.builder().settings(DPoPSettings.from(application)).build();
        AdapterSetup setup = AdapterSetup.obtain(cascade(), given, null, board);
        setup.close();
        assertThat(setup.validator()).isSameAs(given);
        assertThat(setup.owned()).isFalse();
        assertThat(ReplayCaches.isOpen("setup-given")).isTrue();
        given.close();
    }

    @Test
    void prefersThePublishedValidatorToBuildingOne() {
        DPoPValidator published = new Proofs().validator().build();
        board.validator = published;
        application.putAll(ReplayCaches.tokenSettings("setup-unused"));
        AdapterSetup setup = AdapterSetup.obtain(cascade(), null, null, board);
        assertThat(setup.validator()).isSameAs(published);
        assertThat(setup.owned()).isFalse();
        assertThat(ReplayCaches.isOpen("setup-unused")).isFalse();
    }

    @Test
    void buildsPublishesAndOnCloseWithdrawsAndClosesTheApplicationsValidatorWhenNoneIsFound() {
        application.putAll(ReplayCaches.tokenSettings("setup-built"));
        AdapterSetup setup = AdapterSetup.obtain(cascade(), null, null, board);
        assertThat(setup.owned()).isTrue();
        assertThat(board.validator).isSameAs(setup.validator());
        assertThat(ReplayCaches.isOpen("setup-built")).isTrue();

        setup.close();

        assertThat(board.validator).isNull();
        assertThat(ReplayCaches.isOpen("setup-built")).isFalse();
    }

    @Test
    void buildsAValidatorFromItsOwnSettingsAndKeepsItToItself() {
        board.validator = new Proofs().validator().build();
        own.putAll(ReplayCaches.tokenSettings("setup-own"));
        AdapterSetup setup = AdapterSetup.obtain(cascade(), null, null, board);
        assertThat(setup.owned()).isTrue();
        assertThat(setup.validator()).isNotSameAs(board.validator);
        setup.close();
        assertThat(ReplayCaches.isOpen("setup-own")).isFalse();
    }

    @Test
    void readsRolesFromScopesAndTheTargetUriSettingsFromTheCascade() {
        application.put(DPoPSettings.ROLES_FROM_SCOPES, "true");
        application.put(DPoPSettings.HTU_BASE_URI, "https://api.example.com");
        AdapterSetup setup = AdapterSetup.obtain(cascade(), new Proofs().validator().build(), null, board);
        assertThat(setup.rolesFromScopes()).isTrue();
        assertThat(setup.targetUriResolver().resolve("http://app.internal:8080/shop/orders", "/shop/orders", null, name -> List.of()))
                .isEqualTo("https://api.example.com/shop/orders");
    }

    @Test
    void failureNamesTheKeyTheSourceThatSetItAndEverySourceConsulted() {
        application.put(DPoPSettings.ROLES_FROM_SCOPES, "maybe");
        assertThatThrownBy(() -> AdapterSetup.obtain(cascade(), null, null, board))
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo(DPoPSettings.ROLES_FROM_SCOPES);
                    assertThat(e.getMessage()).contains("set in application; sources consulted, first wins: own, application");
                });
        assertThat(board.validator).isNull();
    }

    @Test
    void missingTokenSourceIsReportedAsSetNowhere() {
        assertThatThrownBy(() -> AdapterSetup.obtain(cascade(), null, null, board))
                .isInstanceOfSatisfying(DPoPConfigurationException.class,
                        e -> assertThat(e.getMessage()).contains("set nowhere; sources consulted, first wins: own, application"));
    }

    @Test
    void unavailableIs503WithRetryAfterAndNoStore() {
        application.put(DPoPSettings.RETRY_AFTER, "7s");
        HttpChallenge challenge = AdapterSetup.unavailable(cascade());
        assertThat(challenge.status()).isEqualTo(503);
        assertThat(challenge.header("Retry-After")).contains("7");
        assertThat(challenge.header("Cache-Control")).contains("no-store");
        assertThat(challenge.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void unavailableRetriesAfterFiveSecondsWhenRetryAfterIsTheBadSetting() {
        application.put(DPoPSettings.RETRY_AFTER, "soon");
        assertThat(AdapterSetup.unavailable(cascade()).header("Retry-After")).contains("5");
    }

    /** A board holding at most one validator, as a servlet context does. */
    private static final class Board implements ValidatorBoard {
        DPoPValidator validator;

        @Override
        public Optional<DPoPValidator> published() {
            return Optional.ofNullable(validator);
        }

        @Override
        public boolean publishIfAbsent(DPoPValidator candidate) {
            if (validator != null) {
                return false;
            }
            validator = candidate;
            return true;
        }

        @Override
        public void withdraw(DPoPValidator candidate) {
            if (validator == candidate) {
                validator = null;
            }
        }
    }
}
