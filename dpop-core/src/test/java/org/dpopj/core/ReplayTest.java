package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.dpopj.core.spi.ReplayStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The jti replay check (RFC 9449 §11.1): recorded last, scoped to the key, atomic, fail closed. */
class ReplayTest extends ValidatorFixture {

    @Test
    void rejectsReplayedProof() throws DPoPException {
        DPoPValidator validator = validator();
        String proof = proofs.es256().sign();
        validator.validate(request(proof));

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_DPOP_PROOF, Check.JTI_REPLAY);
    }

    @Test
    void sameJtiFromAnotherKeyIsNotAReplay() throws DPoPException {
        DPoPValidator validator = validator();
        validator.validate(request(proofs.es256().jti("shared").sign()));
        tokens.bind("other-token", proofs.key("ES256", "other").calculateBase64urlEncodedThumbprint("SHA-256"));
        String otherProof = proofs.es256().jti("shared").signedBy(proofs.key("ES256", "other"))
                .jwk(proofs.key("ES256", "other").toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .athOf("other-token").sign();
        DPoPRequest request = requestBuilder().authorizationHeaders(List.of("DPoP other-token"))
                .dpopHeaders(List.of(otherProof)).build();

        assertThatCode(() -> validator.validate(request)).doesNotThrowAnyException();
    }

    @Test
    void doesNotSpendJtiWhenTokenCheckFails() throws DPoPException {
        DPoPValidator validator = validator();
        String proof = proofs.es256().sign();
        tokens.fail(ProofFixture.TOKEN, DPoPException.unavailable(Check.ACCESS_TOKEN, "down", Duration.ofSeconds(1), null));
        assertRejected(() -> validator.validate(request(proof)), DPoPError.TEMPORARILY_UNAVAILABLE, Check.ACCESS_TOKEN);
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());

        assertThatCode(() -> validator.validate(request(proof))).doesNotThrowAnyException();
    }

    @Test
    void doesNotSpendJtiWhenKeyBindingFails() throws DPoPException {
        DPoPValidator validator = validator();
        String proof = proofs.es256().sign();
        tokens.bind(ProofFixture.TOKEN, "x".repeat(43));
        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_TOKEN, Check.KEY_BINDING);
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());

        assertThatCode(() -> validator.validate(request(proof))).doesNotThrowAnyException();
    }

    @Test
    void failsClosedWhenStoreThrows() {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().replayStore(storeAnswering((scope, key, expiresAt) -> {
            throw new IllegalStateException("cache unreachable");
        })).build();

        assertRejected(() -> validator.validate(request(proofs.es256().sign())), DPoPError.TEMPORARILY_UNAVAILABLE, Check.JTI_REPLAY);
    }

    @Test
    void failsClosedWhenStoreIsFull() {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().replayStore(storeAnswering((scope, key, expiresAt) -> ReplayStore.Outcome.REFUSED)).build();

        assertRejected(() -> validator.validate(request(proofs.es256().sign())), DPoPError.TEMPORARILY_UNAVAILABLE, Check.JTI_REPLAY);
    }

    @Test
    void keepsEntryForTheWholeAcceptanceWindow() throws DPoPException {
        AtomicReference<Instant> recordedExpiry = new AtomicReference<>();
        AtomicReference<String> recordedScope = new AtomicReference<>();
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().replayStore(storeAnswering((scope, key, expiresAt) -> {
            recordedScope.set(scope);
            recordedExpiry.set(expiresAt);
            assertThat(key).doesNotContain(scope).hasSize(43);
            return ReplayStore.Outcome.FIRST_USE;
        })).build();

        validator.validate(request(proofs.es256().iat(NOW.plusSeconds(10)).sign()));

        assertThat(recordedScope.get()).isEqualTo(proofs.es256().thumbprint());
        assertThat(recordedExpiry.get()).isEqualTo(NOW.plusSeconds(70));
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentCopies() throws Exception {
        DPoPValidator validator = validator();
        String proof = proofs.es256().sign();
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        validator.validate(request(proof));
                        return true;
                    } catch (DPoPException e) {
                        assertThat(e.failedCheck()).contains(Check.JTI_REPLAY);
                        return false;
                    }
                }));
            }
            start.countDown();
            int accepted = 0;
            for (Future<Boolean> outcome : outcomes) {
                accepted += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
