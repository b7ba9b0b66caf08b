package org.dpopj.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.dpopj.core.internal.Algorithms;
import org.dpopj.core.internal.Base64Url;
import org.dpopj.core.internal.Binding;
import org.dpopj.core.internal.Credentials;
import org.dpopj.core.internal.ParsedProof;
import org.dpopj.core.internal.TargetUri;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.token.TokenHashes;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Decides whether an HTTP request carries a valid DPoP proof bound to its access token (RFC 9449
 * §4.3, §7.1), or, at a token endpoint, a valid proof to bind a new token to (§5).
 *
 * <p>Each check is one method named after it, run in the order of {@link Check}; the first failure
 * ends validation with a {@link DPoPException} naming the check. The proof's {@code jti} is recorded in
 * the {@link ReplayStore} last, with one atomic operation, only once every other check has passed.
 *
 * <p>Immutable and thread-safe: build one per application and share it.
 * <pre>{@code
 * DPoPValidator validator = DPoPValidator.builder()
 *         .accessTokenResolver(resolver)
 *         .replayStore(replayStore)
 *         .proofMaxAge(Duration.ofSeconds(60))
 *         .build();
 * try {
 *     DPoPResult result = validator.validate(request);
 *     // serve; add result.responseNonce() as DPoP-Nonce when present
 * } catch (DPoPException e) {
 *     HttpChallenge challenge = validator.challenge(e); // status and headers to send
 * }
 * }</pre>
 */
public final class DPoPValidator {

    private static final Logger LOG = System.getLogger(DPoPValidator.class.getName());
    private static final String DPOP_TYP = "dpop+jwt";
    private static final String DPOP_MEDIA_TYPE = "application/dpop+jwt";
    private static final int RSA_MIN_BITS = 2048;
    private static final int RSA_MAX_BITS = 8192;

    private final Mode mode;
    private final List<String> algorithms;
    private final AlgorithmConstraints algorithmConstraints;
    private final int maxProofSize;
    private final int maxJtiLength;
    private final Duration proofMaxAge;
    private final Duration clockSkew;
    private final Clock clock;
    private final NonceMode nonceMode;
    private final NonceSource nonceSource;
    private final ReplayStore replayStore;
    private final AccessTokenResolver accessTokenResolver;
    private final AuditListener auditListener;
    private final Duration retryAfter;
    private final String algsParameter;

    private DPoPValidator(Builder builder) {
        this.mode = builder.mode;
        this.algorithms = List.copyOf(builder.algorithms);
        this.algorithmConstraints = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                algorithms.toArray(new String[0]));
        this.maxProofSize = builder.maxProofSize;
        this.maxJtiLength = builder.maxJtiLength;
        this.proofMaxAge = builder.proofMaxAge;
        this.clockSkew = builder.clockSkew;
        this.clock = builder.clock;
        this.nonceMode = builder.nonceMode;
        this.nonceSource = builder.nonceSource;
        this.replayStore = builder.replayStore;
        this.accessTokenResolver = builder.accessTokenResolver;
        this.auditListener = builder.auditListener;
        this.retryAfter = builder.retryAfter;
        this.algsParameter = "algs=\"" + String.join(" ", algorithms) + "\"";
    }

    /** @return a new builder with the defaults documented on each of its methods */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates a request to a protected resource (RFC 9449 §7.1).
     *
     * @param request the request
     * @return the validated result; for {@link AuthScheme#DPOP} it carries the key binding
     * @throws DPoPException when the request must be refused; render it with {@link #challenge}
     */
    public DPoPResult validate(DPoPRequest request) throws DPoPException {
        Trace trace = new Trace();
        try {
            Credentials credentials = checkAuthorization(request);
            trace.passed(Check.AUTHORIZATION);
            trace.scheme = credentials.scheme();
            trace.tokenHashPrefix = TokenHashes.hashPrefix(credentials.token());
            DPoPResult result = credentials.scheme() == AuthScheme.BEARER
                    ? validateBearer(credentials.token(), trace)
                    : validateDPoP(request, credentials.token(), trace);
            audit(trace, request, null);
            return result;
        } catch (DPoPException e) {
            throw reject(e, trace, request);
        } catch (RuntimeException e) {
            throw reject(unexpected(e, trace), trace, request);
        }
    }

    /**
     * Validates a proof sent to a token endpoint (RFC 9449 §5): every proof check but {@code ath} and the
     * token binding, and the {@code jti}. {@code Authorization} (client authentication) is ignored.
     *
     * @param request the token request
     * @return a result whose binding's {@link DPoPBinding#thumbprint()} is the {@code jkt} to bind the new
     *     token to; it has no access token
     * @throws DPoPException when the proof must be refused
     */
    public DPoPResult validateTokenRequest(DPoPRequest request) throws DPoPException {
        Trace trace = new Trace();
        trace.scheme = AuthScheme.DPOP;
        try {
            if (request.dpopHeaders().isEmpty()) {
                throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Missing DPoP proof");
            }
            VerifiedProof proof = checkProof(request, null, trace);
            Binding binding = binding(proof, null);
            checkJtiReplay(proof, trace);
            audit(trace, request, null);
            return DPoPResult.dpop(binding, proof.responseNonce);
        } catch (DPoPException e) {
            throw reject(e, trace, request);
        } catch (RuntimeException e) {
            throw reject(unexpected(e, trace), trace, request);
        }
    }

    /**
     * Renders a failure as the HTTP response to send: the status, {@code WWW-Authenticate} (with
     * {@code error}, {@code error_description} and {@code algs}; twice in {@link Mode#DPOP_OR_BEARER}),
     * {@code DPoP-Nonce} when a nonce is to be used, {@code Retry-After} for 503, and
     * {@code Cache-Control: no-store}.
     *
     * @param failure a failure thrown by this validator, or by {@link DPoPResult#requireScopes}
     * @return the response status and headers
     */
    public HttpChallenge challenge(DPoPException failure) {
        List<HttpChallenge.Header> headers = new ArrayList<>(4);
        if (failure.error() == DPoPError.TEMPORARILY_UNAVAILABLE) {
            long seconds = failure.retryAfter().orElse(retryAfter).toSeconds();
            headers.add(new HttpChallenge.Header("Retry-After", Long.toString(Math.max(1, seconds))));
        } else {
            String errorParameters = failure.error().code()
                    .map(code -> "error=\"" + code + "\", error_description=\"" + failure.description() + "\"")
                    .orElse(null);
            AuthScheme errorScheme = failure.scheme().orElse(AuthScheme.DPOP);
            if (mode == Mode.DPOP_OR_BEARER) {
                headers.add(new HttpChallenge.Header("WWW-Authenticate",
                        errorParameters != null && errorScheme == AuthScheme.BEARER
                                ? "Bearer " + errorParameters : "Bearer"));
            }
            boolean dpopError = errorParameters != null && (errorScheme == AuthScheme.DPOP || mode == Mode.DPOP_ONLY);
            headers.add(new HttpChallenge.Header("WWW-Authenticate",
                    "DPoP " + (dpopError ? errorParameters + ", " : "") + algsParameter));
            failure.nonce().ifPresent(nonce -> headers.add(new HttpChallenge.Header("DPoP-Nonce", nonce)));
        }
        headers.add(new HttpChallenge.Header("Cache-Control", "no-store"));
        return new HttpChallenge(failure.status(), headers);
    }

    /**
     * @return a fresh server nonce, for a response that should carry {@code DPoP-Nonce}; empty when
     *     nonces are off
     */
    public Optional<String> freshNonce() {
        return nonceMode == NonceMode.OFF ? Optional.empty() : Optional.of(nonceSource.issue(clock.instant()));
    }

    /** @return the allowed proof algorithms, in the order advertised in {@code algs} */
    public List<String> algorithms() {
        return algorithms;
    }

    /** @return the schemes accepted */
    public Mode mode() {
        return mode;
    }

    /** @return whether nonces are required */
    public NonceMode nonceMode() {
        return nonceMode;
    }

    private DPoPResult validateBearer(String token, Trace trace) throws DPoPException {
        if (mode == Mode.DPOP_ONLY) {
            throw DPoPException.invalidToken(Check.AUTHORIZATION, "Bearer tokens are not accepted; use DPoP");
        }
        AccessToken accessToken = resolveAccessToken(token, AuthScheme.BEARER, trace);
        if (accessToken.jkt().isPresent()
                || accessToken.tokenType().filter(AuthScheme.DPOP.httpName()::equalsIgnoreCase).isPresent()) {
            throw DPoPException.invalidToken(Check.KEY_BINDING, "DPoP-bound token presented as a Bearer token");
        }
        trace.passed(Check.KEY_BINDING);
        return DPoPResult.bearer(accessToken);
    }

    private DPoPResult validateDPoP(DPoPRequest request, String token, Trace trace) throws DPoPException {
        if (request.dpopHeaders().isEmpty()) {
            throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "DPoP token without a DPoP proof");
        }
        VerifiedProof proof = checkProof(request, token, trace);
        AccessToken accessToken = resolveAccessToken(token, AuthScheme.DPOP, trace);
        checkKeyBinding(proof, accessToken, trace);
        checkJtiReplay(proof, trace);
        return DPoPResult.dpop(binding(proof, accessToken), proof.responseNonce);
    }

    /** §4.3 steps 1 to 12, for a resource request ({@code token} set) or a token request. */
    private VerifiedProof checkProof(DPoPRequest request, String token, Trace trace) throws DPoPException {
        String compact = checkSingleProof(request);
        trace.passed(Check.SINGLE_PROOF);
        ParsedProof proof = ParsedProof.parse(compact, token != null, maxJtiLength);
        trace.passed(Check.WELL_FORMED_JWS);
        trace.passed(Check.REQUIRED_MEMBERS);
        checkTyp(proof);
        trace.passed(Check.TYP);
        checkAlg(proof);
        trace.passed(Check.ALG);
        PublicJsonWebKey jwk = checkPublicJwk(proof);
        trace.passed(Check.PUBLIC_JWK);
        checkSignature(proof, jwk);
        trace.passed(Check.SIGNATURE);
        trace.thumbprint = thumbprint(jwk);
        checkHtm(proof, request);
        trace.passed(Check.HTM);
        checkHtu(proof, request);
        trace.passed(Check.HTU);
        Instant now = clock.instant();
        NonceSource.Status nonceStatus = checkNonce(proof, now);
        trace.passed(Check.NONCE);
        checkIat(proof, now, nonceStatus);
        trace.passed(Check.IAT);
        if (token != null) {
            checkAth(proof, token);
            trace.passed(Check.ATH);
        }
        String responseNonce = nonceStatus == NonceSource.Status.EXPIRING ? nonceSource.issue(now) : null;
        return new VerifiedProof(proof, jwk, trace.thumbprint, now, nonceStatus, responseNonce);
    }

    /** §4.3 step 1: exactly one {@code DPoP} field, one value, within the size cap. */
    private String checkSingleProof(DPoPRequest request) throws DPoPException {
        List<String> fields = request.dpopHeaders();
        if (fields.size() != 1) {
            throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Several DPoP header fields");
        }
        String value = fields.get(0);
        if (value.length() > maxProofSize) {
            throw DPoPException.invalidProof(Check.SINGLE_PROOF, "DPoP proof exceeds " + maxProofSize + " bytes");
        }
        String trimmed = value.trim();
        if (trimmed.indexOf(',') >= 0) {
            throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Several DPoP proofs in one field");
        }
        if (trimmed.isEmpty()) {
            throw DPoPException.invalidProof(Check.SINGLE_PROOF, "Empty DPoP header");
        }
        return trimmed;
    }

    /** §4.3 step 4; the media-type form {@code application/dpop+jwt} is accepted (RFC 7515 §4.1.9). */
    private static void checkTyp(ParsedProof proof) throws DPoPException {
        String typ = proof.typ();
        if (!typ.equalsIgnoreCase(DPOP_TYP) && !typ.equalsIgnoreCase(DPOP_MEDIA_TYPE)) {
            throw DPoPException.invalidProof(Check.TYP, "typ must be dpop+jwt");
        }
    }

    /** §4.3 step 5: allow-listed asymmetric alg that fits the key; no critical extensions. */
    private void checkAlg(ParsedProof proof) throws DPoPException {
        String alg = proof.alg();
        if (!algorithms.contains(alg)) {
            throw DPoPException.invalidProof(Check.ALG, "alg is not allowed");
        }
        if (proof.hasCrit()) {
            throw DPoPException.invalidProof(Check.ALG, "crit names an unsupported extension");
        }
        Object kty = proof.jwk().get("kty");
        if (!Algorithms.keyType(alg).orElseThrow().equals(kty)) {
            throw DPoPException.invalidProof(Check.ALG, "alg does not fit the key type");
        }
        Optional<String> curve = Algorithms.curve(alg);
        if (curve.isPresent() && !curve.get().equals(proof.jwk().get("crv"))) {
            throw DPoPException.invalidProof(Check.ALG, "alg does not fit the key's curve");
        }
    }

    /** §4.3 step 7: a public key only, of a supported type and size. */
    private static PublicJsonWebKey checkPublicJwk(ParsedProof proof) throws DPoPException {
        if (proof.jwkHasPrivateMembers()) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk must not contain a private key");
        }
        PublicJsonWebKey jwk;
        try {
            jwk = PublicJsonWebKey.Factory.newPublicJwk(proof.jwk());
        } catch (JoseException | RuntimeException e) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk is not a valid public key");
        }
        Key key = jwk.getPublicKey();
        if (key == null) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk is not a valid public key");
        }
        if (key instanceof RSAPublicKey) {
            int bits = ((RSAPublicKey) key).getModulus().bitLength();
            if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
                throw DPoPException.invalidProof(Check.PUBLIC_JWK,
                        "RSA key must have " + RSA_MIN_BITS + " to " + RSA_MAX_BITS + " bits");
            }
        }
        return jwk;
    }

    /** §4.3 step 6: the signature verifies with the embedded key. */
    private void checkSignature(ParsedProof proof, PublicJsonWebKey jwk) throws DPoPException {
        boolean valid;
        try {
            proof.jws().setAlgorithmConstraints(algorithmConstraints);
            proof.jws().setKey(jwk.getPublicKey());
            valid = proof.jws().verifySignature();
        } catch (JoseException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw DPoPException.invalidProof(Check.SIGNATURE, "DPoP proof signature is invalid");
        }
    }

    /** §4.3 step 8: {@code htm} matches the method, case-sensitively. */
    private static void checkHtm(ParsedProof proof, DPoPRequest request) throws DPoPException {
        if (!proof.htm().equals(request.method())) {
            throw DPoPException.invalidProof(Check.HTM, "htm does not match the request method");
        }
    }

    /** §4.3 step 9: {@code htu} matches the target URI after normalisation, without query and fragment. */
    private static void checkHtu(ParsedProof proof, DPoPRequest request) throws DPoPException {
        String received;
        try {
            received = TargetUri.normalize(proof.htu());
        } catch (IllegalArgumentException e) {
            throw DPoPException.invalidProof(Check.HTU, "htu is not a valid http(s) URI: " + e.getMessage());
        }
        String expected;
        try {
            expected = TargetUri.normalize(request.targetUri());
        } catch (IllegalArgumentException e) {
            // the container accepted a request line that is not a valid URI: nothing can match it
            throw DPoPException.invalidProof(Check.HTU, "The request URI is not a valid http(s) URI");
        }
        if (!expected.equals(received)) {
            LOG.log(Level.DEBUG, () -> "DPoP htu mismatch: expected " + expected + " received " + received);
            throw DPoPException.invalidProof(Check.HTU, "htu does not match the request URI");
        }
    }

    /** §4.3 step 10, §9: when nonces are required, a nonce issued by this server and still current. */
    private NonceSource.Status checkNonce(ParsedProof proof, Instant now) throws DPoPException {
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
     * §4.3 step 11, §11.1: {@code iat} at most {@code proofMaxAge} old and {@code clockSkew} ahead. A
     * valid server nonce vouches for freshness by itself (§8), so with one the window is not applied.
     */
    private void checkIat(ParsedProof proof, Instant now, NonceSource.Status nonceStatus) throws DPoPException {
        if (nonceStatus != null) {
            return;
        }
        Instant iat = proof.iat();
        if (iat.isAfter(now.plus(clockSkew))) {
            throw DPoPException.invalidProof(Check.IAT, "iat is in the future");
        }
        if (iat.isBefore(now.minus(proofMaxAge))) {
            throw DPoPException.invalidProof(Check.IAT, "iat is too old");
        }
    }

    /** §4.3 step 12: {@code ath} is base64url(SHA-256(token)), compared in constant time. */
    private static void checkAth(ParsedProof proof, String token) throws DPoPException {
        String expected = Base64Url.encode(Base64Url.sha256(token));
        if (!Base64Url.constantTimeEquals(expected, proof.ath())) {
            throw DPoPException.invalidProof(Check.ATH, "ath does not match the access token");
        }
    }

    private AccessToken resolveAccessToken(String token, AuthScheme scheme, Trace trace) throws DPoPException {
        AccessToken accessToken;
        try {
            accessToken = accessTokenResolver.resolve(token, scheme);
        } catch (DPoPException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DPoPException.unavailable(Check.ACCESS_TOKEN, "Access token could not be validated", retryAfter, e);
        }
        trace.clientId = accessToken.clientId().orElse(null);
        if (scheme == AuthScheme.DPOP && accessToken.jkt().isEmpty()) {
            throw DPoPException.invalidToken(Check.ACCESS_TOKEN, "Access token is not DPoP-bound");
        }
        trace.passed(Check.ACCESS_TOKEN);
        return accessToken;
    }

    /** §6, §7.1: the token's {@code cnf.jkt} is the proof key's thumbprint, compared in constant time. */
    private static void checkKeyBinding(VerifiedProof proof, AccessToken token, Trace trace) throws DPoPException {
        if (!Base64Url.constantTimeEquals(proof.thumbprint, token.jkt().orElseThrow())) {
            throw DPoPException.invalidToken(Check.KEY_BINDING, "Access token is bound to another key");
        }
        trace.passed(Check.KEY_BINDING);
    }

    /**
     * §11.1: the {@code jti} was not used before by this key within the window. The replay key is a hash of
     * the thumbprint and the {@code jti}, so a client cannot spend another client's {@code jti}, and the
     * entry lives as long as the proof could be accepted.
     */
    private void checkJtiReplay(VerifiedProof proof, Trace trace) throws DPoPException {
        String key = Base64Url.encode(Base64Url.sha256(proof.thumbprint + '\n' + proof.parsed.jti()));
        // without nonces a proof stays acceptable until iat + max-age, and iat is at most clock-skew ahead;
        // with nonces it is acceptable only while its nonce is, whatever its iat says
        Instant expiresAt = proof.nonceStatus != null
                ? proof.checkedAt.plus(nonceSource.maxLifetime())
                : max(proof.parsed.iat().plus(proofMaxAge), proof.checkedAt.plus(clockSkew));
        ReplayStore.Outcome outcome;
        try {
            outcome = replayStore.markUsed(proof.thumbprint, key, expiresAt);
        } catch (RuntimeException e) {
            throw DPoPException.unavailable(Check.JTI_REPLAY, "Replay store is unavailable", retryAfter, e);
        }
        if (outcome == ReplayStore.Outcome.REPLAYED) {
            throw DPoPException.invalidProof(Check.JTI_REPLAY, "DPoP proof was already used");
        }
        if (outcome != ReplayStore.Outcome.FIRST_USE) {
            throw DPoPException.unavailable(Check.JTI_REPLAY, "Replay store is at capacity", retryAfter, null);
        }
        trace.passed(Check.JTI_REPLAY);
    }

    private static Credentials checkAuthorization(DPoPRequest request) throws DPoPException {
        Credentials credentials = Credentials.parse(request.authorizationHeaders(), request.accessTokenInQueryOrBody());
        if (!credentials.present()) {
            throw DPoPException.of(DPoPError.MISSING_CREDENTIALS, null, "Authentication required");
        }
        return credentials;
    }

    private static Binding binding(VerifiedProof proof, AccessToken token) {
        return new Binding(proof.thumbprint, proof.jwk.toParams(OutputControlLevel.PUBLIC_ONLY),
                proof.parsed.alg(), proof.parsed.jti(), proof.parsed.iat(), proof.parsed.htm(),
                proof.parsed.htu(), token);
    }

    private static String thumbprint(PublicJsonWebKey jwk) throws DPoPException {
        try {
            return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (RuntimeException e) {
            throw DPoPException.invalidProof(Check.PUBLIC_JWK, "jwk thumbprint cannot be computed");
        }
    }

    /**
     * A check threw where it should have answered: hostile input met a bug. The request is refused as
     * failing the check that was running (the one after the last that passed), never accepted and
     * never answered with a 500; only the exception type is logged, as its message may quote input.
     */
    private static DPoPException unexpected(RuntimeException e, Trace trace) {
        Check running = trace.checks.isEmpty() ? Check.AUTHORIZATION
                : Check.values()[Math.min(trace.checks.get(trace.checks.size() - 1).ordinal() + 1, Check.values().length - 1)];
        LOG.log(Level.WARNING, "DPoP check " + running + " failed unexpectedly with " + e.getClass().getName()
                + "; request refused");
        return running == Check.AUTHORIZATION
                ? DPoPException.invalidRequest(running, "Request could not be processed")
                : DPoPException.invalidProof(running, "DPoP proof could not be processed");
    }

    private DPoPException reject(DPoPException failure, Trace trace, DPoPRequest request) {
        DPoPException rejected = failure;
        if (rejected.scheme().isEmpty() && trace.scheme != null) {
            rejected = rejected.withScheme(trace.scheme);
        }
        if (rejected.error() == DPoPError.USE_DPOP_NONCE && rejected.nonce().isEmpty()) {
            rejected = rejected.withNonce(nonceSource.issue(clock.instant()));
        }
        if (rejected.error() == DPoPError.TEMPORARILY_UNAVAILABLE) {
            LOG.log(Level.WARNING, "DPoP request refused with 503 at check "
                    + rejected.failedCheck().map(Enum::name).orElse("-") + ": " + rejected.description(),
                    rejected.getCause());
        } else if (LOG.isLoggable(Level.DEBUG)) {
            String jkt = trace.thumbprint;
            DPoPException logged = rejected;
            LOG.log(Level.DEBUG, () -> "DPoP request rejected: check=" + logged.failedCheck().map(Enum::name).orElse("-")
                    + " error=" + logged.error().code().orElse("-") + " jkt=" + (jkt == null ? "-" : jkt)
                    + " token=" + (trace.tokenHashPrefix == null ? "-" : trace.tokenHashPrefix)
                    + " reason=" + logged.description());
        }
        audit(trace, request, rejected);
        return rejected;
    }

    private void audit(Trace trace, DPoPRequest request, DPoPException failure) {
        if (auditListener == null) {
            return;
        }
        DPoPAuditEvent event = new DPoPAuditEvent(clock.instant(), failure == null, Optional.ofNullable(trace.scheme),
                trace.checks, failure == null ? Optional.empty() : failure.failedCheck(),
                failure == null ? Optional.empty() : Optional.of(failure.error()),
                Optional.ofNullable(trace.thumbprint), Optional.ofNullable(trace.tokenHashPrefix),
                Optional.ofNullable(trace.clientId), request.remoteAddress());
        try {
            auditListener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DPoP audit listener failed; outcome unchanged", e);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** What one validation has established so far, for audit events and logs. Confined to one call. */
    private static final class Trace {
        private final List<Check> checks = new ArrayList<>(Check.values().length);
        private AuthScheme scheme;
        private String thumbprint;
        private String tokenHashPrefix;
        private String clientId;

        void passed(Check check) {
            checks.add(check);
        }
    }

    /** A proof that passed steps 1 to 12. Confined to one call. */
    private static final class VerifiedProof {
        private final ParsedProof parsed;
        private final PublicJsonWebKey jwk;
        private final String thumbprint;
        private final Instant checkedAt;
        private final NonceSource.Status nonceStatus;
        private final String responseNonce;

        VerifiedProof(ParsedProof parsed, PublicJsonWebKey jwk, String thumbprint, Instant checkedAt,
                      NonceSource.Status nonceStatus, String responseNonce) {
            this.parsed = parsed;
            this.jwk = jwk;
            this.thumbprint = thumbprint;
            this.checkedAt = checkedAt;
            this.nonceStatus = nonceStatus;
            this.responseNonce = responseNonce;
        }
    }

    /**
     * Builds a {@link DPoPValidator}. Not thread-safe; the validator it builds is. The replay store is
     * required, and so is an access-token resolver unless {@link #tokenEndpointOnly()} is called.
     */
    public static final class Builder {
        private Mode mode = Mode.DPOP_ONLY;
        private Set<String> algorithms = new LinkedHashSet<>(Algorithms.DEFAULTS);
        private int maxProofSize = 8192;
        private int maxJtiLength = 256;
        private Duration proofMaxAge = Duration.ofSeconds(60);
        private Duration clockSkew = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private NonceMode nonceMode = NonceMode.OFF;
        private NonceSource nonceSource;
        private ReplayStore replayStore;
        private AccessTokenResolver accessTokenResolver;
        private boolean tokenEndpointOnly;
        private AuditListener auditListener;
        private Duration retryAfter = Duration.ofSeconds(5);
        private DPoPSettings settings;

        private Builder() {
        }

        /**
         * Applies every {@code dpop.*} setting present in {@code settings} (see the README's table). The
         * replay store and the access-token resolver are created from the same settings at
         * {@link #build()}, unless set explicitly. Call this first; later calls override single settings.
         *
         * @param settings the settings source
         * @return this builder
         * @throws DPoPConfigurationException naming the first invalid key
         */
        public Builder settings(DPoPSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            settings.string(DPoPSettings.MODE).ifPresent(value -> mode(parse(DPoPSettings.MODE, value, Mode::fromConfigValue)));
            List<String> algs = settings.list(DPoPSettings.ALGORITHMS);
            if (!algs.isEmpty()) {
                algorithms(algs);
            }
            settings.positiveInt(DPoPSettings.PROOF_MAX_SIZE).ifPresent(this::maxProofSize);
            settings.positiveInt(DPoPSettings.JTI_MAX_LENGTH).ifPresent(this::maxJtiLength);
            settings.duration(DPoPSettings.PROOF_MAX_AGE).ifPresent(this::proofMaxAge);
            settings.duration(DPoPSettings.CLOCK_SKEW).ifPresent(this::clockSkew);
            settings.duration(DPoPSettings.RETRY_AFTER).ifPresent(this::retryAfter);
            NonceMode nonces = settings.string(DPoPSettings.NONCE_MODE)
                    .map(value -> parse(DPoPSettings.NONCE_MODE, value, NonceMode::fromConfigValue))
                    .orElse(NonceMode.OFF);
            if (nonces != NonceMode.OFF) {
                Duration step = settings.duration(DPoPSettings.NONCE_STEP).orElse(Duration.ofSeconds(60));
                if (step.getSeconds() < 1) {
                    throw new DPoPConfigurationException(DPoPSettings.NONCE_STEP, "must be at least one second");
                }
                Optional<String> secret = settings.string(DPoPSettings.NONCE_SECRET);
                NonceSource source;
                if (secret.isPresent()) {
                    byte[] bytes = secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    if (bytes.length < HmacNonceSource.MIN_SECRET_BYTES) {
                        throw new DPoPConfigurationException(DPoPSettings.NONCE_SECRET,
                                "must be at least " + HmacNonceSource.MIN_SECRET_BYTES + " bytes");
                    }
                    source = HmacNonceSource.create(bytes, step);
                } else {
                    LOG.log(Level.WARNING, "DPoP nonces are on without " + DPoPSettings.NONCE_SECRET
                            + ": using a random secret, so nonces are valid on this node only");
                    source = HmacNonceSource.withRandomSecret(step);
                }
                nonces(nonces, source);
            }
            return this;
        }

        /** @param mode the accepted schemes; default {@link Mode#DPOP_ONLY} ({@code dpop.mode}) */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @param algorithms the allowed proof algorithms, a subset of ES256, ES384, ES512, PS256, PS384,
         *     PS512, RS256, RS384, RS512 and EdDSA (Ed25519); default all of them
         *     ({@code dpop.proof.algorithms}). {@code none} and HMAC algorithms cannot be enabled.
         */
        public Builder algorithms(Iterable<String> algorithms) {
            Set<String> chosen = new LinkedHashSet<>();
            for (String alg : algorithms) {
                if (!Algorithms.isSupported(alg)) {
                    throw new DPoPConfigurationException(DPoPSettings.ALGORITHMS,
                            "unsupported or symmetric algorithm " + DPoPException.sanitize(alg));
                }
                chosen.add(alg);
            }
            if (chosen.isEmpty()) {
                throw new DPoPConfigurationException(DPoPSettings.ALGORITHMS, "must name at least one algorithm");
            }
            this.algorithms = chosen;
            return this;
        }

        /** @param bytes the largest {@code DPoP} header accepted; default 8192 ({@code dpop.proof.max-size}) */
        public Builder maxProofSize(int bytes) {
            this.maxProofSize = positive(DPoPSettings.PROOF_MAX_SIZE, bytes);
            return this;
        }

        /** @param length the longest {@code jti} accepted; default 256 ({@code dpop.proof.jti-max-length}) */
        public Builder maxJtiLength(int length) {
            this.maxJtiLength = positive(DPoPSettings.JTI_MAX_LENGTH, length);
            return this;
        }

        /** @param maxAge how old {@code iat} may be; default 60 s ({@code dpop.proof.max-age}) */
        public Builder proofMaxAge(Duration maxAge) {
            this.proofMaxAge = nonNegative(DPoPSettings.PROOF_MAX_AGE, maxAge);
            return this;
        }

        /** @param skew how far ahead {@code iat} may be; default 10 s ({@code dpop.clock-skew}) */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = nonNegative(DPoPSettings.CLOCK_SKEW, skew);
            return this;
        }

        /** @param clock the clock all time checks use; default the UTC system clock */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param mode whether nonces are required; default {@link NonceMode#OFF} ({@code dpop.nonce.mode})
         * @param source issues and checks nonces; required when the mode is not OFF
         */
        public Builder nonces(NonceMode mode, NonceSource source) {
            this.nonceMode = Objects.requireNonNull(mode, "mode");
            this.nonceSource = source;
            return this;
        }

        /** @param store records used proofs; required */
        public Builder replayStore(ReplayStore store) {
            this.replayStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** @param resolver validates access tokens; required unless {@link #tokenEndpointOnly()} */
        public Builder accessTokenResolver(AccessTokenResolver resolver) {
            this.accessTokenResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Builds a validator for a token endpoint only, with no access-token resolver. */
        public Builder tokenEndpointOnly() {
            this.tokenEndpointOnly = true;
            return this;
        }

        /** @param listener receives one event per decision; default none */
        public Builder auditListener(AuditListener listener) {
            this.auditListener = listener;
            return this;
        }

        /** @param delay advertised in {@code Retry-After} on 503; default 5 s ({@code dpop.retry-after}) */
        public Builder retryAfter(Duration delay) {
            this.retryAfter = nonNegative(DPoPSettings.RETRY_AFTER, delay);
            return this;
        }

        /**
         * @return how long a replay entry must be kept: the longest time a proof can stay acceptable
         *     (the {@code iat} window, or a nonce's lifetime when nonces are on), for sizing the store
         */
        public Duration replayWindow() {
            Duration window = proofMaxAge.plus(clockSkew);
            if (nonceMode != NonceMode.OFF && nonceSource != null && nonceSource.maxLifetime().compareTo(window) > 0) {
                window = nonceSource.maxLifetime();
            }
            return window.plusSeconds(1);
        }

        /** @return the immutable validator */
        public DPoPValidator build() {
            if (replayStore == null && settings != null) {
                replayStore = DefaultComponents.replayStore(settings, replayWindow(), clock);
            }
            if (accessTokenResolver == null && settings != null && !tokenEndpointOnly) {
                accessTokenResolver = DefaultComponents.accessTokenResolver(settings, clock).orElse(null);
            }
            if (replayStore == null) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER, "a replay store is required");
            }
            if (accessTokenResolver == null && !tokenEndpointOnly) {
                throw new DPoPConfigurationException("dpop.token.jwks-uri",
                        "no access-token source: set dpop.token.jwks-uri, dpop.token.issuer or dpop.token.introspection-uri");
            }
            if (nonceMode != NonceMode.OFF && nonceSource == null) {
                throw new DPoPConfigurationException(DPoPSettings.NONCE_SECRET, "nonces are required but no nonce source is set");
            }
            if (!replayStore.isClusterWide()) {
                LOG.log(Level.INFO, "DPoP replay store is node-local: in a cluster, set "
                        + DPoPSettings.REPLAY_PROVIDER + " to a distributed JCache provider");
            }
            return new DPoPValidator(this);
        }

        private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(key, e.getMessage(), e);
            }
        }

        private static int positive(String key, int value) {
            if (value <= 0) {
                throw new DPoPConfigurationException(key, "must be positive");
            }
            return value;
        }

        private static Duration nonNegative(String key, Duration value) {
            if (Objects.requireNonNull(value, key).isNegative()) {
                throw new DPoPConfigurationException(key, "must not be negative");
            }
            return value;
        }
    }
}
