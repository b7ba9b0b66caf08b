package org.dpopj.core.proof;

import java.time.Instant;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.internal.Binding;
import org.dpopj.core.jose.PublicJwk;

/** A proof that passed RFC 9449 §4.3 steps 1 to 12, with what its later checks need. Immutable. */
public final class VerifiedProof {

    private final ParsedProof parsed;
    private final PublicJwk jwk;
    private final Instant acceptableUntil;
    private final String responseNonce;

    VerifiedProof(ParsedProof parsed, PublicJwk jwk, Instant acceptableUntil, String responseNonce) {
        this.parsed = parsed;
        this.jwk = jwk;
        this.acceptableUntil = acceptableUntil;
        this.responseNonce = responseNonce;
    }

    PublicJwk jwk() {
        return jwk;
    }

    String jti() {
        return parsed.jti();
    }

    Instant acceptableUntil() {
        return acceptableUntil;
    }

    /** @return the nonce to send in {@code DPoP-Nonce} with the response, or {@code null} */
    public String responseNonce() {
        return responseNonce;
    }

    /**
     * @param token the bound access token, or {@code null} at a token endpoint
     * @return the binding handed to the application
     */
    public DPoPBinding binding(AccessToken token) {
        return new Binding(jwk.thumbprint(), jwk.publicMembers(), parsed.alg(), parsed.jti(), parsed.iat(),
                parsed.htm(), parsed.htu(), token);
    }
}
