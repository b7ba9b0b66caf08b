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

    private DPoPValidator(Builder builder, ProofPolicy policy) {
        this.mode = builder.mode;
        this.algorithms = policy.algorithms().stream().map(Enum::name).toList();
        this.maxAuthorizationSize = builder.maxAuthorizationSize;
        this.nonceMode = builder.nonceMode;
        this.nonceSource = builder.nonceSource;
        this.clock = builder.clock;
        this.pipeline = new ProofPipeline(policy);
        this.challenges = new ChallengeRenderer(mode, algorithms, builder.retryAfter);
        this.decisions = new DecisionLog(builder.auditListener, nonceSource, clock);
        this.owned = List.copyOf(builder.owned);
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

    /**
     * Builds a {@link DPoPValidator}. Not thread-safe; the validator it builds is. The replay store is
     * required, and so is an access-token resolver unless {@link #tokenEndpointOnly()} is called; with
     * {@link #settings} both are created from the settings when not set.
     */
    public static final class Builder {
        private Mode mode = Mode.DPOP_ONLY;
        private Set<JwsAlgorithm> algorithms = new LinkedHashSet<>(JwsAlgorithm.ALL);
        private KeyLimits keyLimits = KeyLimits.DEFAULT;
        private int maxProofSize = 8192;
        private int maxAuthorizationSize = 16384;
        private int maxJtiLength = 256;
        private Duration proofMaxAge = Duration.ofSeconds(60);
        private Duration clockSkew = Duration.ofSeconds(10);
        private Duration nonceIatDrift;
        private Clock clock = Clock.systemUTC();
        private NonceMode nonceMode = NonceMode.OFF;
        private NonceSource nonceSource;
        private ReplayStore replayStore;
        private ReplayStore tokenRequestReplayStore;
        private AccessTokenResolver accessTokenResolver;
        private boolean tokenEndpointOnly;
        private AuditListener auditListener;
        private Duration retryAfter = Duration.ofSeconds(5);
        private DPoPSettings settings;
        private final List<AutoCloseable> owned = new ArrayList<>();

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
            ValidatorSettings.apply(settings, this);
            return this;
        }

        /**
         * @param mode the accepted schemes; default {@link Mode#DPOP_ONLY} ({@code dpop.mode})
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @param algorithms the allowed proof algorithms, a subset of ES256, ES384, ES512, PS256, PS384,
         *     PS512, RS256, RS384, RS512 and EdDSA (Ed25519); default all of them
         *     ({@code dpop.proof.algorithms}). {@code none} and HMAC algorithms cannot be enabled.
         * @return this builder
         */
        public Builder algorithms(Iterable<String> algorithms) {
            Set<JwsAlgorithm> chosen = new LinkedHashSet<>();
            for (String alg : algorithms) {
                chosen.add(JwsAlgorithm.named(alg).orElseThrow(() -> new DPoPConfigurationException(
                        DPoPSettings.ALGORITHMS, "unsupported or symmetric algorithm " + DPoPException.sanitize(alg))));
            }
            if (chosen.isEmpty()) {
                throw new DPoPConfigurationException(DPoPSettings.ALGORITHMS, "must name at least one algorithm");
            }
            this.algorithms = chosen;
            return this;
        }

        /**
         * @param minBits the smallest RSA proof key; default 2048, never less ({@code dpop.key.rsa-min-bits})
         * @param maxBits the largest RSA proof key; default 8192 ({@code dpop.key.rsa-max-bits})
         * @return this builder
         */
        public Builder rsaKeySize(int minBits, int maxBits) {
            try {
                this.keyLimits = new KeyLimits(minBits, maxBits);
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(DPoPSettings.RSA_MAX_BITS, e.getMessage());
            }
            return this;
        }

        /**
         * @param bytes the largest {@code DPoP} header accepted; default 8192 ({@code dpop.proof.max-size})
         * @return this builder
         */
        public Builder maxProofSize(int bytes) {
            this.maxProofSize = positive(DPoPSettings.PROOF_MAX_SIZE, bytes);
            return this;
        }

        /**
         * @param bytes the largest {@code Authorization} header accepted, checked before any work; default
         *     16384 ({@code dpop.authorization.max-size})
         * @return this builder
         */
        public Builder maxAuthorizationSize(int bytes) {
            this.maxAuthorizationSize = positive(DPoPSettings.AUTHORIZATION_MAX_SIZE, bytes);
            return this;
        }

        /**
         * @param length the longest {@code jti} accepted; default 256 ({@code dpop.proof.jti-max-length})
         * @return this builder
         */
        public Builder maxJtiLength(int length) {
            this.maxJtiLength = positive(DPoPSettings.JTI_MAX_LENGTH, length);
            return this;
        }

        /**
         * @param maxAge how old {@code iat} may be; default 60 s ({@code dpop.proof.max-age})
         * @return this builder
         */
        public Builder proofMaxAge(Duration maxAge) {
            this.proofMaxAge = nonNegative(DPoPSettings.PROOF_MAX_AGE, maxAge);
            return this;
        }

        /**
         * @param skew how far ahead {@code iat} may be; default 10 s ({@code dpop.clock-skew})
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = nonNegative(DPoPSettings.CLOCK_SKEW, skew);
            return this;
        }

        /**
         * @param drift with nonces on, how far {@code iat} may be from now either way when a valid nonce
         *     vouches for the proof; default the nonce lifetime plus the clock skew ({@code dpop.nonce.iat-drift})
         * @return this builder
         */
        public Builder nonceIatDrift(Duration drift) {
            this.nonceIatDrift = nonNegative(DPoPSettings.NONCE_IAT_DRIFT, drift);
            return this;
        }

        /**
         * @param clock the clock all time checks use; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param mode whether nonces are required; default {@link NonceMode#OFF} ({@code dpop.nonce.mode})
         * @param source issues and checks nonces; required when the mode is not OFF
         * @return this builder
         */
        public Builder nonces(NonceMode mode, NonceSource source) {
            this.nonceMode = Objects.requireNonNull(mode, "mode");
            this.nonceSource = source;
            return this;
        }

        /**
         * @param store records used proofs; required unless created from {@link #settings}
         * @return this builder
         */
        public Builder replayStore(ReplayStore store) {
            this.replayStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param store records the proofs of token requests, apart from those of resource requests;
         *     default: with {@link #settings} and the embedded Ehcache, a cache of its own; otherwise the
         *     {@link #replayStore}, where each client's token requests count against its own quota
         * @return this builder
         */
        public Builder tokenRequestReplayStore(ReplayStore store) {
            this.tokenRequestReplayStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param resolver validates access tokens; required unless {@link #tokenEndpointOnly()}
         * @return this builder
         */
        public Builder accessTokenResolver(AccessTokenResolver resolver) {
            this.accessTokenResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Builds a validator for a token endpoint only, with no access-token resolver.
         * @return this builder
         */
        public Builder tokenEndpointOnly() {
            this.tokenEndpointOnly = true;
            return this;
        }

        /**
         * @param listener receives one event per decision; default none
         * @return this builder
         */
        public Builder auditListener(AuditListener listener) {
            this.auditListener = listener;
            return this;
        }

        /**
         * @param delay advertised in {@code Retry-After} on 503; default 5 s ({@code dpop.retry-after})
         * @return this builder
         */
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
            if (nonceMode != NonceMode.OFF && nonceSource == null) {
                throw new DPoPConfigurationException(DPoPSettings.NONCE_SECRET, "nonces are required but no nonce source is set");
            }
            if (accessTokenResolver == null && settings != null && !tokenEndpointOnly) {
                accessTokenResolver = ValidatorSettings.accessTokenResolver(settings, clock).orElse(null);
            }
            if (accessTokenResolver == null && !tokenEndpointOnly) {
                throw new DPoPConfigurationException("dpop.token.jwks-uri",
                        "no access-token source: set dpop.token.jwks-uri, dpop.token.issuer or dpop.token.introspection-uri");
            }
            if (replayStore == null && settings != null) {
                replayStore = ValidatorSettings.replayStore(settings, replayWindow(), clock);
                if (replayStore instanceof AutoCloseable) {
                    owned.add((AutoCloseable) replayStore);
                }
            }
            if (replayStore == null) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER, "a replay store is required");
            }
            if (tokenRequestReplayStore == null && settings != null && !tokenEndpointOnly) {
                tokenRequestReplayStore = ValidatorSettings.tokenRequestReplayStore(settings, replayWindow(), clock)
                        .orElse(null);
                if (tokenRequestReplayStore instanceof AutoCloseable) {
                    owned.add((AutoCloseable) tokenRequestReplayStore);
                }
            }
            if (!replayStore.isClusterWide()) {
                LOG.log(Level.INFO, "DPoP replay store is node-local: in a cluster, set "
                        + DPoPSettings.REPLAY_PROVIDER + " to a distributed JCache provider");
            }
            Duration drift = nonceIatDrift != null ? nonceIatDrift
                    : nonceSource == null ? clockSkew : nonceSource.maxLifetime().plus(clockSkew);
            ProofPolicy policy = new ProofPolicy(List.copyOf(algorithms), keyLimits, maxProofSize, maxJtiLength,
                    proofMaxAge, clockSkew, nonceMode, nonceSource, drift, replayStore,
                    tokenRequestReplayStore != null ? tokenRequestReplayStore : replayStore,
                    tokenEndpointOnly ? null : accessTokenResolver, retryAfter, clock);
            return new DPoPValidator(this, policy);
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
