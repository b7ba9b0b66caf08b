package org.dpopj.core.proof;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.PublicJwk;
import org.dpopj.core.jose.Signatures;

/** RFC 9449 §4.3 step 6: the signature verifies with the embedded, already checked {@code jwk}. Immutable. */
final class SignatureCheck {

    private final Signatures signatures;

    SignatureCheck(Signatures signatures) {
        this.signatures = signatures;
    }

    void verify(ParsedProof proof, JwsAlgorithm alg, PublicJwk jwk) throws DPoPException {
        if (!signatures.verify(alg, jwk, proof.jws())) {
            throw DPoPException.invalidProof(Check.SIGNATURE, "DPoP proof signature is invalid");
        }
    }
}
