package org.dpopj.core.proof;

import java.time.Duration;
import java.time.Instant;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.dpopj.core.NonceMode;
import org.dpopj.core.spi.NonceSource;

/**
 * RFC 9449 §4.3 steps 10 and 11: the server nonce, when required, and the {@code iat} window. A valid
 * nonce vouches for freshness (§8), so with one the narrow window gives way to a wide drift bound that
 * still refuses dates from another year or in milliseconds. Immutable.
 */
final class Freshness {

    private final NonceMode nonceMode;
    private final NonceSource nonceSource;
    private final Duration proofMaxAge;
    private final Duration clockSkew;
    private final Duration nonceIatDrift;

    Freshness(NonceMode nonceMode, NonceSource nonceSource, Duration proofMaxAge, Duration clockSkew,
              Duration nonceIatDrift) {
        this.nonceMode = nonceMode;
        this.nonceSource = nonceSource;
        this.proofMaxAge = proofMaxAge;
        this.clockSkew = clockSkew;
        this.nonceIatDrift = nonceIatDrift;
    }

    /**
     * §4.3 step 10, §9: when nonces are required, a nonce issued by this server and still current.
     *
     * @return the nonce's status, or {@code null} when nonces are off
     */
    NonceSource.Status nonce(ParsedProof proof, Instant now) throws DPoPException {
        if (nonceMode == NonceMode.OFF) {
            return null;
        }
        if (proof.nonce() == null) {
            throw DPoPException.of(DPoPError.USE_DPOP_NONCE, Check.NONCE, "Authorization server requires nonce in DPoP proof");
        }
        NonceSource.Status status = nonceSource.check(proof.nonce(), now);
        if (status == NonceSource.Status.INVALID) {
            throw DPoPException.of(DPoPError.USE_DPOP_NONCE, Check.NONCE, "DPoP nonce is stale or unknown");
        }
        return status;
    }

    /**
     * §4.3 step 11, §11.1: {@code iat} at most {@code proofMaxAge} old and {@code clockSkew} ahead; with
     * a valid nonce, within the nonce drift bound either way.
     */
    void iat(ParsedProof proof, Instant now, NonceSource.Status nonceStatus) throws DPoPException {
        Duration behind = nonceStatus != null ? nonceIatDrift : proofMaxAge;
        Duration ahead = nonceStatus != null ? nonceIatDrift : clockSkew;
        if (proof.iat().isAfter(now.plus(ahead))) {
            throw DPoPException.invalidProof(Check.IAT, "iat is in the future");
        }
        if (proof.iat().isBefore(now.minus(behind))) {
            throw DPoPException.invalidProof(Check.IAT, "iat is too old");
        }
    }

    /** @return when a proof checked at {@code checkedAt} stops being acceptable, for its replay entry */
    Instant acceptableUntil(ParsedProof proof, Instant checkedAt, NonceSource.Status nonceStatus) {
        if (nonceStatus != null) {
            // acceptable only while its nonce is, whatever its iat says
            return checkedAt.plus(nonceSource.maxLifetime());
        }
        // acceptable until iat + max-age, and iat is at most clock-skew ahead
        Instant byIat = proof.iat().plus(proofMaxAge);
        Instant bySkew = checkedAt.plus(clockSkew);
        return byIat.isAfter(bySkew) ? byIat : bySkew;
    }

    /** @return a fresh nonce for the response when the proof's nonce is in its last step, else {@code null} */
    String responseNonce(NonceSource.Status nonceStatus, Instant now) {
        return nonceStatus == NonceSource.Status.EXPIRING ? nonceSource.issue(now) : null;
    }
}
