package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.spi.NonceSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Server nonces (RFC 9449 §8, §9): stateless, shared by secret, one-retry recovery. */
class NonceTest extends ValidatorFixture {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final NonceSource nonces = HmacNonceSource.create(SECRET, Duration.ofSeconds(60));
    private final DPoPValidator validator = nonceValidator(clock);

    private DPoPValidator nonceValidator(Clock at) {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        return builder().clock(at).nonces(NonceMode.REQUIRED, nonces).build();
    }

    @Test
    void challengesProofWithoutNonceWithUseDPoPNonceAndFreshNonce() {
        assertThatThrownBy(() -> validator.validate(request(proofs.es256().sign())))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    assertThat(e.error()).isEqualTo(DPoPError.USE_DPOP_NONCE);
                    assertThat(e.failedCheck()).contains(Check.NONCE);
                    HttpChallenge challenge = validator.challenge(e);
                    assertThat(challenge.status()).isEqualTo(401);
                    assertThat(challenge.header("WWW-Authenticate").orElseThrow()).startsWith("DPoP error=\"use_dpop_nonce\"");
                    assertThat(challenge.header("DPoP-Nonce")).hasValueSatisfying(
                            nonce -> assertThat(nonces.check(nonce, NOW)).isEqualTo(NonceSource.Status.FRESH));
                    assertThat(challenge.header("Cache-Control")).contains("no-store");
                });
    }

    @Test
    void acceptsRetryWithIssuedNonce() {
        String nonce = nonces.issue(NOW);

        assertThatCode(() -> validator.validate(request(proofs.es256().nonce(nonce).sign()))).doesNotThrowAnyException();
    }

    @Test
    void rejectsNonceFromAnotherSecret() {
        String foreign = HmacNonceSource.create("another secret, 32 bytes or more!".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60)).issue(NOW);

        assertRejected(() -> validator.validate(request(proofs.es256().nonce(foreign).sign())), DPoPError.USE_DPOP_NONCE, Check.NONCE);
    }

    @Test
    void rejectsNonceTwoStepsOld() {
        String stale = nonces.issue(NOW.minusSeconds(120));

        assertRejected(() -> validator.validate(request(proofs.es256().nonce(stale).sign())), DPoPError.USE_DPOP_NONCE, Check.NONCE);
    }

    @Test
    void rejectsTamperedNonce() {
        String nonce = nonces.issue(NOW);
        String tampered = (nonce.charAt(0) == 'A' ? 'B' : 'A') + nonce.substring(1);

        assertRejected(() -> validator.validate(request(proofs.es256().nonce(tampered).sign())), DPoPError.USE_DPOP_NONCE, Check.NONCE);
    }

    @Test
    void acceptsPreviousStepNonceAndRotatesIt() throws DPoPException {
        String previous = nonces.issue(NOW.minusSeconds(60));

        DPoPResult result = validator.validate(request(proofs.es256().nonce(previous).sign()));

        assertThat(result.responseNonce()).hasValueSatisfying(
                nonce -> assertThat(nonces.check(nonce, NOW)).isEqualTo(NonceSource.Status.FRESH));
    }

    @Test
    void doesNotRotateCurrentNonce() throws DPoPException {
        DPoPResult result = validator.validate(request(proofs.es256().nonce(nonces.issue(NOW)).sign()));

        assertThat(result.responseNonce()).isEmpty();
    }

    @Test
    void acceptsNonceFromAnotherNodeSharingTheSecret() {
        String fromOtherNode = HmacNonceSource.create(SECRET, Duration.ofSeconds(60)).issue(NOW);

        assertThatCode(() -> validator.validate(request(proofs.es256().nonce(fromOtherNode).sign()))).doesNotThrowAnyException();
    }

    @Test
    void freshNonceVouchesForProofWhoseClockIsOffBeyondTheWindowButWithinTheDrift() {
        String proof = proofs.es256().iat(NOW.minus(Duration.ofSeconds(100))).nonce(nonces.issue(NOW)).sign();

        assertThatCode(() -> validator.validate(request(proof))).doesNotThrowAnyException();
    }

    @Test
    void freshNonceDoesNotVouchForIatFromAnotherYear() {
        String proof = proofs.es256().iat(java.time.Instant.parse("2019-01-01T00:00:00Z")).nonce(nonces.issue(NOW)).sign();

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.IAT);
    }

    @Test
    void freshNonceDoesNotVouchForFarFutureIat() {
        String proof = proofs.es256().iat(NOW.plus(Duration.ofDays(400))).nonce(nonces.issue(NOW)).sign();

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.IAT);
    }

    @Test
    void freshNonceDoesNotVouchForIatInMilliseconds() {
        String proof = proofs.es256().claim("iat", NOW.toEpochMilli()).nonce(nonces.issue(NOW)).sign();

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
    }

    @Test
    void nonceIatDriftIsConfigurable() {
        DPoPValidator narrow = builder().clock(clock).nonces(NonceMode.REQUIRED, nonces).nonceIatDrift(Duration.ofSeconds(30)).build();
        String proof = proofs.es256().iat(NOW.minus(Duration.ofSeconds(45))).nonce(nonces.issue(NOW)).sign();

        assertRejected(() -> narrow.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.IAT);
    }

    @Test
    void wrongClockWithoutNonceGetsUseDPoPNonce() {
        String proof = proofs.es256().iat(NOW.minus(Duration.ofHours(3))).sign();

        assertRejected(() -> validator.validate(request(proof)), DPoPError.USE_DPOP_NONCE, Check.NONCE);
    }

    @Test
    void nonceBasedProofStaysRecordedForTheNonceLifetime() throws DPoPException {
        String proof = proofs.es256().iat(NOW.minus(Duration.ofSeconds(100))).nonce(nonces.issue(NOW)).sign();
        validator.validate(request(proof));

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.JTI_REPLAY);
    }

    @Test
    void nonceIsIgnoredWhenNoncesAreOff() {
        DPoPValidator off = builder().build();

        assertThatCode(() -> off.validate(request(proofs.es256().nonce("anything").sign()))).doesNotThrowAnyException();
    }

    @Test
    void settingsRefuseShortNonceSecret() {
        DPoPSettings settings = DPoPSettings.from(java.util.Map.of(DPoPSettings.NONCE_MODE, "required",
                DPoPSettings.NONCE_SECRET, "too short"));

        assertThatThrownBy(() -> DPoPValidator.builder().settings(settings))
                .isInstanceOfSatisfying(DPoPConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(DPoPSettings.NONCE_SECRET));
    }

    @Test
    void nonceHasOnlyNqcharCharacters() {
        assertThat(nonces.issue(NOW)).matches("[A-Za-z0-9_-]+");
        assertThat(Clock.fixed(NOW, ZoneOffset.UTC)).isNotNull();
    }
}
