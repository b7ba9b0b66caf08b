package org.dpopj.core.proof;

import java.time.Duration;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.jose.Sha256;
import org.dpopj.core.spi.ReplayStore;

/**
 * RFC 9449 §11.1: the {@code jti} was not used before by this key within the window; run last, once
 * every other check has passed, as one atomic operation. The replay key is a hash of the thumbprint and
 * the {@code jti}, so a client cannot spend another client's {@code jti}. A store that fails in any
 * way, an {@link Error} included, fails closed with a 503. Immutable.
 */
final class JtiRecording {

    private final ReplayStore store;
    private final Duration retryAfter;

    JtiRecording(ReplayStore store, Duration retryAfter) {
        this.store = store;
        this.retryAfter = retryAfter;
    }

    /** @param quota whose bound the entry counts against: the proof key, or an authenticated client */
    void record(VerifiedProof proof, String quota) throws DPoPException {
        String key = Sha256.base64Url(proof.jwk().thumbprint() + '\n' + proof.jti());
        ReplayStore.Outcome outcome;
        try {
            outcome = store.markUsed(quota, key, proof.acceptableUntil());
        } catch (VirtualMachineError e) {
            if (e instanceof OutOfMemoryError) {
                throw e;
            }
            throw DPoPException.unavailable(Check.JTI_REPLAY, "Replay store is unavailable", retryAfter, e);
        } catch (RuntimeException | Error e) {
            throw DPoPException.unavailable(Check.JTI_REPLAY, "Replay store is unavailable", retryAfter, e);
        }
        if (outcome == ReplayStore.Outcome.REPLAYED) {
            throw DPoPException.invalidProof(Check.JTI_REPLAY, "DPoP proof was already used");
        }
        if (outcome != ReplayStore.Outcome.FIRST_USE) {
            throw DPoPException.unavailable(Check.JTI_REPLAY, "Replay store is at capacity", retryAfter, null);
        }
    }
}
