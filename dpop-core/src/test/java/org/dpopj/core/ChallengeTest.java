package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one renderer of WWW-Authenticate, DPoP-Nonce, Retry-After and Cache-Control (RFC 9449 §7.1, §12.2). */
class ChallengeTest extends ValidatorFixture {

    private final DPoPValidator validator = validator();

    @Test
    void rendersInvalidDPoPProofWithErrorDescriptionAndAlgs() {
        HttpChallenge challenge = validator.challenge(DPoPException.invalidProof(Check.HTU, "htu does not match the request URI"));

        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.header("WWW-Authenticate")).contains("DPoP error=\"invalid_dpop_proof\", "
                + "error_description=\"htu does not match the request URI\", "
                + "algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");
        assertThat(challenge.header("Cache-Control")).contains("no-store");
        assertThat(challenge.header("DPoP-Nonce")).isEmpty();
    }

    @Test
    void rendersInvalidRequestWith400() {
        HttpChallenge challenge = validator.challenge(DPoPException.invalidRequest(Check.SINGLE_PROOF, "Several DPoP header fields"));

        assertThat(challenge.status()).isEqualTo(400);
        assertThat(challenge.header("WWW-Authenticate").orElseThrow()).startsWith("DPoP error=\"invalid_request\"");
    }

    @Test
    void removesQuotesBackslashesAndControlCharactersFromDescription() {
        HttpChallenge challenge = validator.challenge(
                DPoPException.invalidProof(Check.HTU, "a \"quoted\" \\ value\r\nInjected: header\u0000\u00e9"));

        String header = challenge.header("WWW-Authenticate").orElseThrow();
        String description = header.substring(header.indexOf("error_description=\"") + 19, header.indexOf("\", algs"));
        assertThat(description).isEqualTo("a quoted  value  Injected: header");
        assertThat(header).doesNotContain("\r", "\n", "\\");
    }

    @Test
    void advertisesOnlyConfiguredAlgorithms() {
        DPoPValidator narrow = builder().algorithms(List.of("ES256", "EdDSA")).build();

        assertThat(narrow.challenge(DPoPException.of(DPoPError.MISSING_CREDENTIALS, null, "Authentication required"))
                .header("WWW-Authenticate")).contains("DPoP algs=\"ES256 EdDSA\"");
    }

    @Test
    void rendersUnavailableWithRetryAfterAndNoChallenge() {
        HttpChallenge challenge = validator.challenge(DPoPException.unavailable(Check.JTI_REPLAY, "down",
                java.time.Duration.ofSeconds(30), new IllegalStateException()));

        assertThat(challenge.status()).isEqualTo(503);
        assertThat(challenge.header("Retry-After")).contains("30");
        assertThat(challenge.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void descriptionNeverContainsTokenOrProof() {
        String proof = proofs.es256().htm("POST").sign();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validator.validate(request(proof)))
                .isInstanceOfSatisfying(DPoPException.class, e -> assertThat(validator.challenge(e).headers())
                        .extracting(HttpChallenge.Header::value)
                        .noneMatch(value -> value.contains(ProofFixture.TOKEN) || value.contains(proof.substring(0, 20))));
    }
}
