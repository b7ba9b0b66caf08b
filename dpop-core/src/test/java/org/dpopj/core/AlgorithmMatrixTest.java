package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import org.dpopj.core.jose.JwsAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every algorithm on the default allow-list: a valid proof passes, the same proof changed in one place fails. */
class AlgorithmMatrixTest extends ValidatorFixture {

    static Iterable<String> defaultAlgorithms() {
        return JwsAlgorithm.NAMES;
    }

    private DPoPValidator validatorFor(String alg) {
        tokens.bind(ProofFixture.TOKEN, proofs.of(alg).thumbprint());
        return builder().build();
    }

    @ParameterizedTest
    @MethodSource("defaultAlgorithms")
    void acceptsValidProof(String alg) throws DPoPException {
        DPoPResult result = validatorFor(alg).validate(request(proofs.of(alg).sign()));

        assertThat(result.binding()).hasValueSatisfying(binding -> {
            assertThat(binding.algorithm()).isEqualTo(alg);
            assertThat(binding.thumbprint()).isEqualTo(proofs.of(alg).thumbprint());
        });
    }

    @ParameterizedTest
    @MethodSource("defaultAlgorithms")
    void rejectsProofWithTamperedClaims(String alg) {
        DPoPValidator validator = validatorFor(alg);
        String[] parts = proofs.of(alg).sign().split("\\.");
        String otherPayload = proofs.of(alg).htm("DELETE").sign().split("\\.")[1];

        assertRejected(() -> validator.validate(request(parts[0] + "." + otherPayload + "." + parts[2])),
                DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("defaultAlgorithms")
    void rejectsProofSignedByAnotherKeyOfTheSameType(String alg) {
        DPoPValidator validator = validatorFor(alg);

        assertRejected(() -> validator.validate(request(proofs.of(alg).signedBy(proofs.key(alg, "other")).sign())),
                DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
    }

    @ParameterizedTest
    @MethodSource("defaultAlgorithms")
    void rejectsReplayedProof(String alg) throws DPoPException {
        DPoPValidator validator = validatorFor(alg);
        String proof = proofs.of(alg).sign();
        validator.validate(request(proof));

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.JTI_REPLAY);
    }
}
