package org.dpopj.core.proof;

import java.util.List;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.PublicJwk;
import org.dpopj.core.jose.PublicJwkCache;

/** RFC 9449 §4.3 steps 4, 5 and 7: {@code typ}, {@code alg} and a public-only {@code jwk}. Immutable. */
final class HeaderChecks {

    private static final String DPOP_TYP = "dpop+jwt";
    private static final String DPOP_MEDIA_TYPE = "application/dpop+jwt";

    private final List<JwsAlgorithm> algorithms;
    private final PublicJwkCache keys;

    HeaderChecks(List<JwsAlgorithm> algorithms, PublicJwkCache keys) {
        this.algorithms = List.copyOf(algorithms);
        this.keys = keys;
    }

    /** §4.3 step 4; the media-type form {@code application/dpop+jwt} is accepted (RFC 7515 §4.1.9). */
    void typ(ParsedProof proof) throws DPoPException {
        if (!proof.typ().equalsIgnoreCase(DPOP_TYP) && !proof.typ().equalsIgnoreCase(DPOP_MEDIA_TYPE)) {
            throw DPoPException.invalidProof(Check.TYP, "typ must be dpop+jwt");
        }
    }

    /** §4.3 step 5: an allow-listed asymmetric alg that fits the key; no critical extensions. */
    JwsAlgorithm alg(ParsedProof proof) throws DPoPException {
        JwsAlgorithm alg = JwsAlgorithm.named(proof.alg()).filter(algorithms::contains)
                .orElseThrow(() -> DPoPException.invalidProof(Check.ALG, "alg is not allowed"));
        if (proof.hasCrit()) {
            throw DPoPException.invalidProof(Check.ALG, "crit names an unsupported extension");
        }
        if (!alg.keyType().equals(proof.jwk().get("kty"))) {
            throw DPoPException.invalidProof(Check.ALG, "alg does not fit the key type");
        }
        if (alg.curve().isPresent() && !alg.curve().get().equals(proof.jwk().get("crv"))) {
            throw DPoPException.invalidProof(Check.ALG, "alg does not fit the key's curve");
        }
        return alg;
    }

    /**
     * §4.3 step 7: a public key only, of a supported type and size; checked before any key is built or
     * looked up. A key seen before comes from the cache, parsed and thumbprinted once.
     */
    PublicJwk publicJwk(ParsedProof proof) throws DPoPException {
        if (PublicJwk.hasPrivateMembers(proof.jwk())) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk must not contain a private key");
        }
        try {
            return keys.get(proof.jwk());
        } catch (JoseFormatException e) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk is not a valid public key: " + e.getMessage());
        }
    }
}
