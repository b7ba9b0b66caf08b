package org.dpopj.demo.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The code grant's rules at the demo token endpoint: RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9449 §10. */
class AuthorizationCodeGrantTest {

    private static final String REDIRECT = "http://127.0.0.1:8765/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private final MovingClock clock = new MovingClock();
    private final RegisteredClients clients = new RegisteredClients();
    private final AuthorizationCodes codes = new AuthorizationCodes(clock);
    private final AuthorizationCodeGrant grant = new AuthorizationCodeGrant(clients, codes);
    private final RegisteredClients.Client client = clients.register("agent", List.of(REDIRECT), List.of("orders.read"));

    private String code() {
        return codes.issue(client.id(), REDIRECT, s256(VERIFIER), JKT, List.of("orders.read"), null);
    }

    private static Map<String, String> form(String code, String verifier) {
        Map<String, String> form = new HashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", "ignored here");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("code_verifier", verifier);
        return form;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String errorOf(Throwable e) {
        return ((TokenEndpoint.TokenError) e).getMessage();
    }

    @Test
    void redeemsACodeWithItsVerifierAndKey() throws Exception {
        assertThat(grant.redeem(form(code(), VERIFIER), client, JKT).scopes()).containsExactly("orders.read");
    }

    @Test
    void rejectsAVerifierThatDoesNotMatchTheChallenge() {
        String wrong = VERIFIER.substring(1) + "A";
        assertThatThrownBy(() -> grant.redeem(form(code(), wrong), client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void rejectsAProofOfAnotherKeyThanDpopJkt() {
        assertThatThrownBy(() -> grant.redeem(form(code(), VERIFIER), client, "A".repeat(43)))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void rejectsAnotherRedirectUri() {
        Map<String, String> form = form(code(), VERIFIER);
        form.put("redirect_uri", "http://127.0.0.1:9999/callback");
        assertThatThrownBy(() -> grant.redeem(form, client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void rejectsACodeIssuedToAnotherClient() {
        RegisteredClients.Client other = clients.register("other", List.of(REDIRECT), List.of("orders.read"));
        assertThatThrownBy(() -> grant.redeem(form(code(), VERIFIER), other, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void spendsTheCodeOnTheFirstAttemptEvenAWrongOne() {
        String code = code();
        assertThatThrownBy(() -> grant.redeem(form(code, VERIFIER.substring(1) + "A"), client, JKT));
        assertThatThrownBy(() -> grant.redeem(form(code, VERIFIER), client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void redeemsACodeOnlyOnce() throws Exception {
        String code = code();
        grant.redeem(form(code, VERIFIER), client, JKT);
        assertThatThrownBy(() -> grant.redeem(form(code, VERIFIER), client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void rejectsACodeOlderThanItsLifetime() {
        String code = code();
        clock.advance(Duration.ofSeconds(AuthorizationCodes.LIFETIME_SECONDS));
        assertThatThrownBy(() -> grant.redeem(form(code, VERIFIER), client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_grant"));
    }

    @Test
    void rejectsAResourceThatWasNotAuthorized() {
        Map<String, String> form = form(code(), VERIFIER);
        form.put("resource", "https://elsewhere.example/mcp");
        assertThatThrownBy(() -> grant.redeem(form, client, JKT))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_target"));
    }

    @Test
    void refusesAClientSecretOrAuthorizationHeaderForPublicClients() {
        Map<String, String> form = form(code(), VERIFIER);
        form.put("client_id", client.id());
        assertThatThrownBy(() -> grant.client(List.of("Basic eDp5"), form))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_request"));
        form.put("client_secret", "s");
        assertThatThrownBy(() -> grant.client(List.of(), form))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_request"));
    }

    @Test
    void refusesAnUnregisteredClient() {
        Map<String, String> form = form(code(), VERIFIER);
        form.put("client_id", "dyn-unknown");
        assertThatThrownBy(() -> grant.client(List.of(), form))
                .satisfies(e -> assertThat(errorOf(e)).isEqualTo("invalid_client"));
    }

    /** A clock a test moves forward by hand. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
