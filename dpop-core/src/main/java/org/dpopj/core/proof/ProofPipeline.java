package org.dpopj.core.proof;

import java.time.Instant;

import org.dpopj.core.AccessToken;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.internal.NormalizedUris;
import org.dpopj.core.jose.CryptoProvider;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.PublicJwk;
import org.dpopj.core.jose.PublicJwkCache;
import org.dpopj.core.jose.Signatures;
import org.dpopj.core.spi.NonceSource;

/**
 * Runs the proof checks in the order of {@link Check}, recording each that passes in the
 * {@link Trace}; the first failure ends validation with a {@link DPoPException} naming its check. To
 * add a check: add it to {@link Check} in RFC order, write it as a small class or method here, and call
 * it at its place below. Thread-safe; its only state is bounded caches of what it computed before
 * (proof keys, header segments, normalised {@code htu} values), each a function of its input.
 */
public final class ProofPipeline {

    private static final System.Logger LOG = System.getLogger(org.dpopj.core.DPoPValidator.class.getName());
    /** Proof keys remembered, parsed: many more than the clients a node sees in a proof's lifetime. */
    static final int PROOF_KEY_CACHE_MAX_ENTRIES = 4096;
    /** {@code htu} values remembered, normalised: a resource server has few, the same on every request. */
    static final int HTU_CACHE_SLOTS = 256;

    private final ProofParser parser;
    private final HeaderChecks headers;
    private final SignatureCheck signature;
    private final Freshness freshness;
    private final AccessTokenCheck accessToken;
    private final JtiRecording jti;
    private final JtiRecording tokenRequestJti;
    private final NormalizedUris uris = new NormalizedUris(HTU_CACHE_SLOTS);
    private final ProofPolicy policy;

    /** @param policy the validated configuration */
    public ProofPipeline(ProofPolicy policy) {
        this.policy = policy;
        this.parser = new ProofParser(policy.maxProofSize(), policy.maxJtiLength());
        CryptoProvider cryptoProvider = CryptoProvider.resolve(policy.cryptoProvider(), LOG);
        this.headers = new HeaderChecks(policy.algorithms(),
                new PublicJwkCache(PROOF_KEY_CACHE_MAX_ENTRIES, policy.keyLimits(), cryptoProvider));
        this.signature = new SignatureCheck(new Signatures(cryptoProvider));
        this.freshness = new Freshness(policy.nonceMode(), policy.nonceSource(), policy.proofMaxAge(),
                policy.clockSkew(), policy.nonceIatDrift());
        this.accessToken = policy.accessTokenResolver() == null ? null
                : new AccessTokenCheck(policy.accessTokenResolver(), policy.retryAfter());
        this.jti = new JtiRecording(policy.replayStore(), policy.retryAfter());
        this.tokenRequestJti = new JtiRecording(policy.tokenRequestReplayStore(), policy.retryAfter());
    }

    /**
     * §4.3 steps 1 to 12.
     *
     * @param token the presented access token, or {@code null} at a token endpoint (no {@code ath})
     */
    public VerifiedProof verify(DPoPRequest request, PresentedToken token, Trace trace) throws DPoPException {
        String compact = parser.singleProof(request);
        trace.passed(Check.SINGLE_PROOF);
        ParsedProof proof = parser.parse(compact, token != null);
        trace.jti(proof.jti());
        trace.passed(Check.WELL_FORMED_JWS);
        trace.passed(Check.REQUIRED_MEMBERS);
        headers.typ(proof);
        trace.passed(Check.TYP);
        JwsAlgorithm alg = headers.alg(proof);
        trace.passed(Check.ALG);
        PublicJwk jwk = headers.publicJwk(proof);
        trace.passed(Check.PUBLIC_JWK);
        signature.verify(proof, alg, jwk);
        trace.passed(Check.SIGNATURE);
        trace.thumbprint(jwk.thumbprint());
        RequestMatch.htm(proof, request);
        trace.passed(Check.HTM);
        RequestMatch.htu(proof, request, uris);
        trace.passed(Check.HTU);
        Instant now = policy.clock().instant();
        NonceSource.Status nonceStatus = freshness.nonce(proof, now);
        trace.passed(Check.NONCE);
        freshness.iat(proof, now, nonceStatus);
        trace.passed(Check.IAT);
        if (token != null) {
            TokenBinding.ath(proof, token);
            trace.passed(Check.ATH);
        }
        return new VerifiedProof(proof, jwk, freshness.acceptableUntil(proof, now, nonceStatus),
                freshness.responseNonce(nonceStatus, now));
    }

    /** §7.1: the access token is valid, and bound when presented as DPoP. */
    public AccessToken accessToken(PresentedToken token, Trace trace) throws DPoPException {
        AccessToken resolved = accessToken.resolve(token);
        resolved.clientId().ifPresent(trace::clientId);
        resolved.subject().ifPresent(trace::subject);
        AccessTokenCheck.boundWhenDPoP(token, resolved);
        trace.passed(Check.ACCESS_TOKEN);
        return resolved;
    }

    /** §7.2: a Bearer token is not bound. */
    public void unbound(AccessToken token, Trace trace) throws DPoPException {
        AccessTokenCheck.unbound(token);
        trace.passed(Check.KEY_BINDING);
    }

    /** §6, §7.1: the token is bound to the proof's key. */
    public void keyBinding(VerifiedProof proof, AccessToken token, Trace trace) throws DPoPException {
        TokenBinding.keyBinding(proof, token);
        trace.passed(Check.KEY_BINDING);
    }

    /** §11.1: the {@code jti} is recorded, under the key's quota; call last. */
    public void recordJti(VerifiedProof proof, Trace trace) throws DPoPException {
        jti.record(proof, proof.jwk().thumbprint());
        trace.passed(Check.JTI_REPLAY);
    }

    /** §11.1 at a token endpoint: the {@code jti} is recorded under the authenticated client's quota; call last. */
    public void recordTokenRequestJti(VerifiedProof proof, String clientId, Trace trace) throws DPoPException {
        tokenRequestJti.record(proof, "client " + clientId);
        trace.passed(Check.JTI_REPLAY);
    }
}
