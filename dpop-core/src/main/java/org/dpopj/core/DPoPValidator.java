package org.dpopj.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.dpopj.core.internal.Credentials;
import org.dpopj.core.internal.ValidatorSettings;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.proof.ProofPipeline;
import org.dpopj.core.proof.ProofPolicy;
import org.dpopj.core.proof.Trace;
import org.dpopj.core.proof.VerifiedProof;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;

/**
 * Decides whether an HTTP request carries a valid DPoP proof bound to its access token (RFC 9449
 * §4.3, §7.1), or, at a token endpoint, a valid proof to bind a new token to (§5).
 *
 * <p>Each check is its own small part, run in the order of {@link Check}; the first failure ends
 * validation with a {@link DPoPException} naming the check. The proof's {@code jti} is recorded in the
 * {@link ReplayStore} last, with one atomic operation, only once every other check has passed.
 *
 * <p>Immutable and thread-safe: build one per application and share it; {@link #close()} it when the
 * application stops.
 * <pre>{@code
 * DPoPValidator validator = DPoPValidator.builder()
 *         .settings(DPoPSettings.fromSystemProperties())  // or single setters
 *         .build();
 * try {
 *     DPoPResult result = validator.validate(request);
 *     // serve; add result.responseNonce() as DPoP-Nonce when present
 * } catch (DPoPException e) {
 *     HttpChallenge challenge = validator.challenge(e); // status and headers to send
 * }
 * }</pre>
 */
public final class DPoPValidator implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DPoPValidator.class.getName());

    private final Mode mode;
    private final List<String> algorithms;
    private final int maxAuthorizationSize;
    private final NonceMode nonceMode;
    private final NonceSource nonceSource;
    private final Clock clock;
    private final ProofPipeline pipeline;
    private final ChallengeRenderer challenges;
    private final DecisionLog decisions;
    private final List<AutoCloseable> owned;
    private final ReplayStore replayStore;

    DPoPValidator(DPoPValidatorBuilder builder, ProofPolicy policy) {
        this.mode = builder.mode;
        this.algorithms = policy.algorithms().stream().map(Enum::name).toList();
        this.maxAuthorizationSize = builder.maxAuthorizationSize;
        this.nonceMode = builder.nonceMode;
        this.nonceSource = builder.nonceSource;
        this.clock = builder.clock;
        this.pipeline = new ProofPipeline(policy);
        this.challenges = new ChallengeRenderer(mode, algorithms, builder.retryAfter, builder.resourceMetadata);
        this.decisions = new DecisionLog(builder.auditListener, builder.auditLog, nonceSource, clock);
        this.owned = List.copyOf(builder.owned);
        this.replayStore = policy.replayStore();
    }

    /** @return a new builder with the defaults documented on each of its methods */
    public static DPoPValidatorBuilder builder() {
        return new DPoPValidatorBuilder();
    }

    /**
     * Validates a request to a protected resource (RFC 9449 §7.1).
     *
     * @param request the request
     * @return the validated result; for {@link AuthScheme#DPOP} it carries the key binding
     * @throws DPoPException when the request must be refused; render it with {@link #challenge}
     */
    public DPoPResult validate(DPoPRequest request) throws DPoPException {
        return validate(request, List.of());
    }

    /**
     * Validates a request to a protected resource (RFC 9449 §7.1) that also requires scopes (RFC 6750
     * §3.1): a token without one of them is refused with {@code 403 insufficient_scope}, and that
     * refusal is audited like every other.
     *
     * @param request the request
     * @param requiredScopes scopes the token must carry; empty for none
     * @return the validated result; for {@link AuthScheme#DPOP} it carries the key binding
     * @throws DPoPException when the request must be refused; render it with {@link #challenge}
     */
    public DPoPResult validate(DPoPRequest request, Collection<String> requiredScopes) throws DPoPException {
        Trace trace = new Trace();
        try {
            PresentedToken token = credentials(request);
            trace.passed(Check.AUTHORIZATION);
            trace.scheme(token.scheme());
            trace.tokenHashPrefix(token.hashPrefix());
            DPoPResult result;
            if (token.scheme() == AuthScheme.BEARER) {
                if (mode == Mode.DPOP_ONLY) {
                    throw DPoPException.invalidToken(Check.AUTHORIZATION, "Bearer tokens are not accepted; use DPoP");
                }
                AccessToken accessToken = pipeline.accessToken(token, trace);
                pipeline.unbound(accessToken, trace);
                result = DPoPResult.bearer(accessToken);
            } else {
                if (request.dpopHeaders().isEmpty()) {
                    throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "DPoP token without a DPoP proof");
                }
                VerifiedProof proof = pipeline.verify(request, token, trace);
                AccessToken accessToken = pipeline.accessToken(token, trace);
                pipeline.keyBinding(proof, accessToken, trace);
                pipeline.recordJti(proof, trace);
                result = DPoPResult.dpop(proof.binding(accessToken), proof.responseNonce());
            }
            if (!requiredScopes.isEmpty()) {
                result.requireScopes(requiredScopes);
                trace.passed(Check.SCOPE);
            }
            decisions.accepted(trace, request);
            return result;
        } catch (DPoPException e) {
            throw decisions.rejected(e, trace, request);
        } catch (RuntimeException e) {
            throw decisions.rejected(DecisionLog.unexpected(e, trace), trace, request);
        }
    }

    /**
     * Validates a proof sent to a token endpoint (RFC 9449 §5), once the authorization server has
     * authenticated the client: every proof check but {@code ath} and the token binding, then the
     * {@code jti}, recorded in the token-request replay store under the client's quota. Requiring the
     * authenticated client here enforces the order that keeps anonymous callers with self-made keys
     * from filling any replay store. {@code Authorization} (client authentication) is ignored.
     *
     * @param request the token request
     * @param authenticatedClientId the client the authorization server authenticated; never {@code null}
     * @return a result whose binding's {@link DPoPBinding#thumbprint()} is the {@code jkt} to bind the new
     *     token to; it has no access token
     * @throws DPoPException when the proof must be refused
     */
    public DPoPResult validateTokenRequest(DPoPRequest request, String authenticatedClientId) throws DPoPException {
        Objects.requireNonNull(authenticatedClientId, "authenticatedClientId: authenticate the client first");
        if (authenticatedClientId.isBlank()) {
            throw new IllegalArgumentException("authenticatedClientId must not be blank");
        }
        Trace trace = new Trace();
        trace.scheme(AuthScheme.DPOP);
        try {
            if (request.dpopHeaders().isEmpty()) {
                throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Missing DPoP proof");
            }
            VerifiedProof proof = pipeline.verify(request, null, trace);
            pipeline.recordTokenRequestJti(proof, authenticatedClientId, trace);
            decisions.accepted(trace, request);
            return DPoPResult.dpop(proof.binding(null), proof.responseNonce());
        } catch (DPoPException e) {
            throw decisions.rejected(e, trace, request);
        } catch (RuntimeException e) {
            throw decisions.rejected(DecisionLog.unexpected(e, trace), trace, request);
        }
    }

    /**
     * Checks that an already validated request's token carries {@code requiredScopes} (RFC 6750 §3.1),
     * for an adapter that validated once and protects several endpoints; a refusal is audited like
     * every other.
     *
     * @param result a result of {@link #validate}
     * @param requiredScopes scopes the token must carry; empty for none
     * @throws DPoPException {@code 403 insufficient_scope} naming {@link Check#SCOPE}
     */
    public void requireScopes(DPoPResult result, Collection<String> requiredScopes) throws DPoPException {
        try {
            result.requireScopes(requiredScopes);
        } catch (DPoPException e) {
            decisions.scopeRefused(result, e);
            throw e;
        }
    }

    /**
     * Renders a failure as the HTTP response to send: the status, {@code WWW-Authenticate} (with
     * {@code error}, {@code error_description} and {@code algs}; twice in {@link Mode#DPOP_OR_BEARER}),
     * {@code DPoP-Nonce} when a nonce is to be used, {@code Retry-After} for 503, and
     * {@code Cache-Control: no-store}.
     *
     * @param failure a failure thrown by this validator, or by {@link DPoPResult#requireScopes}
     * @return the status and headers to send
     */
    public HttpChallenge challenge(DPoPException failure) {
        return challenges.render(failure);
    }

    /** @return a fresh server nonce for a {@code DPoP-Nonce} response header; empty when nonces are off */
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

    /**
     * @return the store this validator records the {@code jti} of proofs to protected resources in, for
     *     a health check that probes it; marking keys in it spends them for every request
     */
    public ReplayStore replayStore() {
        return replayStore;
    }

    /** @return whether nonces are required */
    public NonceMode nonceMode() {
        return nonceMode;
    }

    /**
     * Releases what this validator created from settings (the replay store's cache); a store or
     * resolver passed to the builder is the caller's to close. Idempotent.
     */
    @Override
    public void close() {
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "DPoP validator could not release " + resource.getClass().getName(), e);
            }
        }
    }

    /** RFC 9449 §7.1, RFC 6750 §2.1: one credential, of a supported scheme, within the size cap. */
    private PresentedToken credentials(DPoPRequest request) throws DPoPException {
        for (String field : request.authorizationHeaders()) {
            if (field.length() > maxAuthorizationSize) {
                throw DPoPException.invalidRequest(Check.AUTHORIZATION,
                        "Authorization header exceeds " + maxAuthorizationSize + " bytes");
            }
        }
        Credentials credentials = Credentials.parse(request.authorizationHeaders(), request.accessTokenInQueryOrBody());
        if (!credentials.present()) {
            throw DPoPException.of(DPoPError.MISSING_CREDENTIALS, null, "Authentication required");
        }
        return new PresentedToken(credentials.token(), credentials.scheme());
    }
}
