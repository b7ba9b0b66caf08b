package org.dpopj.core.proof;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.dpopj.core.NonceMode;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;

/**
 * Everything the proof pipeline is configured with, already validated by the validator's builder.
 * Immutable.
 *
 * @param algorithms allowed proof algorithms
 * @param keyLimits bounds on proof keys
 * @param maxProofSize largest {@code DPoP} value, in characters
 * @param maxJtiLength longest {@code jti}
 * @param proofMaxAge how old {@code iat} may be
 * @param clockSkew how far ahead {@code iat} may be
 * @param nonceMode whether nonces are required
 * @param nonceSource issues and checks nonces; {@code null} when off
 * @param nonceIatDrift how far {@code iat} may be from now, either way, when a valid nonce vouches for it
 * @param replayStore records used proofs of resource requests
 * @param tokenRequestReplayStore records used proofs of token requests (may be {@code replayStore})
 * @param accessTokenResolver validates access tokens; {@code null} at a token endpoint
 * @param retryAfter {@code Retry-After} on 503
 * @param clock the time source
 * @param cryptoProvider the {@code dpop.crypto.provider} value: who checks the proofs' signatures
 */
public record ProofPolicy(List<JwsAlgorithm> algorithms, KeyLimits keyLimits, int maxProofSize, int maxJtiLength,
                          Duration proofMaxAge, Duration clockSkew, NonceMode nonceMode, NonceSource nonceSource,
                          Duration nonceIatDrift, ReplayStore replayStore, ReplayStore tokenRequestReplayStore,
                          AccessTokenResolver accessTokenResolver,
                          Duration retryAfter, Clock clock, String cryptoProvider) {

    public ProofPolicy {
        algorithms = List.copyOf(algorithms);
        Objects.requireNonNull(keyLimits, "keyLimits");
        Objects.requireNonNull(replayStore, "replayStore");
        Objects.requireNonNull(tokenRequestReplayStore, "tokenRequestReplayStore");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(cryptoProvider, "cryptoProvider");
    }
}
