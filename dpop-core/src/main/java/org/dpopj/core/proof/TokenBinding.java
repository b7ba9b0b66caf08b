package org.dpopj.core.proof;

import org.dpopj.core.AccessToken;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.jose.Base64Url;

/** RFC 9449 §4.3 step 12 and §6, §7.1: the proof names the token, and the token names the proof's key. Stateless. */
final class TokenBinding {

    private TokenBinding() {
    }

    /** §4.3 step 12: {@code ath} is base64url(SHA-256(token)), compared in constant time. */
    static void ath(ParsedProof proof, PresentedToken token) throws DPoPException {
        if (!Base64Url.constantTimeEquals(token.sha256(), proof.ath())) {
            throw DPoPException.invalidProof(Check.ATH, "ath does not match the access token");
        }
    }

    /** §6, §7.1: the token's {@code cnf.jkt} is the proof key's thumbprint, compared in constant time. */
    static void keyBinding(VerifiedProof proof, AccessToken token) throws DPoPException {
        if (!Base64Url.constantTimeEquals(proof.jwk().thumbprint(), token.jkt().orElseThrow())) {
            throw DPoPException.invalidToken(Check.KEY_BINDING, "Access token is bound to another key");
        }
    }
}
