package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Token-endpoint proofs (RFC 9449 §5) are recorded only for an authenticated client, under that
 * client's quota and apart from resource requests, so that self-made keys cannot exhaust a store.
 */
class TokenRequestTest extends ValidatorFixture {

    private static final String TOKEN_ENDPOINT = "https://server.example.com/token";

    private static DPoPRequest tokenRequest(String proof) {
        return DPoPRequest.builder().method("POST").targetUri(TOKEN_ENDPOINT)
                .dpopHeaders(java.util.List.of(proof)).build();
    }

    private String freshKeyProof() {
        return proofs.of("ES256", UUID.randomUUID().toString()).htm("POST").htu(TOKEN_ENDPOINT).sign();
    }

    private ReplayStore smallStore(int maxEntries, int maxPerScope) {
        return JCacheReplayStore.builder().cacheName("dpop-test-" + UUID.randomUUID())
                .entryLifetime(Duration.ofSeconds(200)).maxEntries(maxEntries).maxPerScope(maxPerScope).clock(clock).build();
    }

    @Test
    void requiresTheAuthenticatedClient() {
        DPoPValidator validator = validator();

        assertThatThrownBy(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindsTheProofKeyOfAnAuthenticatedClient() throws DPoPException {
        ProofFixture.Proof proof = proofs.es256().htm("POST").htu(TOKEN_ENDPOINT);

        DPoPResult result = validator().validateTokenRequest(tokenRequest(proof.sign()), "client-a");

        assertThat(result.binding().orElseThrow().thumbprint()).isEqualTo(proof.thumbprint());
    }

    @Test
    void oneClientFloodingSelfMadeKeysStopsAtItsOwnQuota() {
        DPoPValidator validator = builder().replayStore(smallStore(1_000, 5)).build();
        for (int i = 0; i < 5; i++) {
            assertThatCode(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), "flooder"))
                    .doesNotThrowAnyException();
        }

        assertRejected(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), "flooder"),
                DPoPError.TEMPORARILY_UNAVAILABLE, Check.JTI_REPLAY);
        assertThatCode(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), "another-client"))
                .doesNotThrowAnyException();
    }

    @Test
    void tokenRequestsFillingTheirStoreLeaveResourceRequestsServed() throws DPoPException {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().replayStore(smallStore(1_000, 1_000))
                .tokenRequestReplayStore(smallStore(10, 10)).build();
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            try {
                validator.validateTokenRequest(tokenRequest(freshKeyProof()), "client-" + (i % 25));
            } catch (DPoPException e) {
                assertThat(e.error()).isEqualTo(DPoPError.TEMPORARILY_UNAVAILABLE);
                refused++;
            }
        }

        assertThat(refused).isEqualTo(40);
        assertThatCode(() -> validator.validate(request(proofs.es256().sign()))).doesNotThrowAnyException();
    }

    @Test
    void settingsGiveTokenRequestsACacheOfTheirOwn() {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPSettings settings = DPoPSettings.from(Map.of(DPoPSettings.REPLAY_MAX_ENTRIES, "3",
                DPoPSettings.REPLAY_MAX_PER_KEY, "3", DPoPSettings.REPLAY_CACHE, "dpop-test-" + UUID.randomUUID()));
        try (DPoPValidator validator = DPoPValidator.builder().settings(settings).clock(clock)
                .accessTokenResolver(tokens).build()) {
            for (int i = 0; i < 3; i++) {
                assertThatCode(() -> validator.validateTokenRequest(tokenRequest(freshKeyProof()), "client"))
                        .doesNotThrowAnyException();
            }

            assertThatCode(() -> validator.validate(request(proofs.es256().sign()))).doesNotThrowAnyException();
        }
    }
}
