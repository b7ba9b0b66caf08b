package org.dpopj.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.dpopj.core.internal.ValidatorSettings;
import org.dpopj.core.jose.CryptoProvider;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.proof.ProofPolicy;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;

/**
 * Builds a {@link DPoPValidator}. Not thread-safe; the validator it builds is. The replay store is
 * required, and so is an access-token resolver unless {@link #tokenEndpointOnly()} is called; with
 * {@link #settings} both are created from the settings when not set.
 */
public final class DPoPValidatorBuilder {

    private static final Logger LOG = System.getLogger(DPoPValidator.class.getName());

    Mode mode = Mode.DPOP_ONLY;
    Set<JwsAlgorithm> algorithms = new LinkedHashSet<>(JwsAlgorithm.ALL);
    KeyLimits keyLimits = KeyLimits.DEFAULT;
    int maxProofSize = 8192;
    int maxAuthorizationSize = 16384;
    int maxJtiLength = 256;
    Duration proofMaxAge = Duration.ofSeconds(60);
    Duration clockSkew = Duration.ofSeconds(10);
    Duration nonceIatDrift;
    Clock clock = Clock.systemUTC();
    NonceMode nonceMode = NonceMode.OFF;
    NonceSource nonceSource;
    ReplayStore replayStore;
    ReplayStore tokenRequestReplayStore;
    AccessTokenResolver accessTokenResolver;
    boolean tokenEndpointOnly;
    AuditListener auditListener;
    /** The {@code dpop.audit.log} sink, called besides {@link #auditListener}. */
    AuditListener auditLog;
    org.dpopj.core.spi.IssuerCallListener issuerCallListener;
    Duration retryAfter = Duration.ofSeconds(5);
    String cryptoProvider = CryptoProvider.AUTO;
    DPoPSettings settings;
    URI resourceMetadata;
    final List<AutoCloseable> owned = new ArrayList<>();

    DPoPValidatorBuilder() {
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
    public DPoPValidatorBuilder settings(DPoPSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        ValidatorSettings.apply(settings, this);
        this.auditLog = ValidatorSettings.auditLog(settings).orElse(null);
        return this;
    }

    /**
     * @param mode the accepted schemes; default {@link Mode#DPOP_ONLY} ({@code dpop.mode})
     * @return this builder
     */
    public DPoPValidatorBuilder mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * @param algorithms the allowed proof algorithms, a subset of ES256, ES384, ES512, PS256, PS384,
     *     PS512, RS256, RS384, RS512 and EdDSA (Ed25519); default all of them
     *     ({@code dpop.proof.algorithms}). {@code none} and HMAC algorithms cannot be enabled.
     * @return this builder
     */
    public DPoPValidatorBuilder algorithms(Iterable<String> algorithms) {
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
    public DPoPValidatorBuilder rsaKeySize(int minBits, int maxBits) {
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
    public DPoPValidatorBuilder maxProofSize(int bytes) {
        this.maxProofSize = positive(DPoPSettings.PROOF_MAX_SIZE, bytes);
        return this;
    }

    /**
     * @param bytes the largest {@code Authorization} header accepted, checked before any work; default
     *     16384 ({@code dpop.authorization.max-size})
     * @return this builder
     */
    public DPoPValidatorBuilder maxAuthorizationSize(int bytes) {
        this.maxAuthorizationSize = positive(DPoPSettings.AUTHORIZATION_MAX_SIZE, bytes);
        return this;
    }

    /**
     * @param length the longest {@code jti} accepted; default 256 ({@code dpop.proof.jti-max-length})
     * @return this builder
     */
    public DPoPValidatorBuilder maxJtiLength(int length) {
        this.maxJtiLength = positive(DPoPSettings.JTI_MAX_LENGTH, length);
        return this;
    }

    /**
     * @param maxAge how old {@code iat} may be; default 60 s ({@code dpop.proof.max-age})
     * @return this builder
     */
    public DPoPValidatorBuilder proofMaxAge(Duration maxAge) {
        this.proofMaxAge = nonNegative(DPoPSettings.PROOF_MAX_AGE, maxAge);
        return this;
    }

    /**
     * @param skew how far ahead {@code iat} may be; default 10 s ({@code dpop.clock-skew})
     * @return this builder
     */
    public DPoPValidatorBuilder clockSkew(Duration skew) {
        this.clockSkew = nonNegative(DPoPSettings.CLOCK_SKEW, skew);
        return this;
    }

    /**
     * @param drift with nonces on, how far {@code iat} may be from now either way when a valid nonce
     *     vouches for the proof; default the nonce lifetime plus the clock skew ({@code dpop.nonce.iat-drift})
     * @return this builder
     */
    public DPoPValidatorBuilder nonceIatDrift(Duration drift) {
        this.nonceIatDrift = nonNegative(DPoPSettings.NONCE_IAT_DRIFT, drift);
        return this;
    }

    /**
     * @param clock the clock all time checks use; default the UTC system clock
     * @return this builder
     */
    public DPoPValidatorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param mode whether nonces are required; default {@link NonceMode#OFF} ({@code dpop.nonce.mode})
     * @param source issues and checks nonces; required when the mode is not OFF
     * @return this builder
     */
    public DPoPValidatorBuilder nonces(NonceMode mode, NonceSource source) {
        this.nonceMode = Objects.requireNonNull(mode, "mode");
        this.nonceSource = source;
        return this;
    }

    /**
     * @param store records used proofs; required unless created from {@link #settings}
     * @return this builder
     */
    public DPoPValidatorBuilder replayStore(ReplayStore store) {
        this.replayStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * @param store records the proofs of token requests, apart from those of resource requests;
     *     default: with {@link #settings} and the embedded Ehcache, a cache of its own; otherwise the
     *     {@link #replayStore}, where each client's token requests count against its own quota
     * @return this builder
     */
    public DPoPValidatorBuilder tokenRequestReplayStore(ReplayStore store) {
        this.tokenRequestReplayStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * @param resolver validates access tokens; required unless {@link #tokenEndpointOnly()}
     * @return this builder
     */
    public DPoPValidatorBuilder accessTokenResolver(AccessTokenResolver resolver) {
        this.accessTokenResolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Builds a validator for a token endpoint only, with no access-token resolver.
     * @return this builder
     */
    public DPoPValidatorBuilder tokenEndpointOnly() {
        this.tokenEndpointOnly = true;
        return this;
    }

    /**
     * @param listener receives one event per decision; default none. The JSON audit log of
     *     {@code dpop.audit.log=json} is called besides it, not replaced by it.
     * @return this builder
     */
    public DPoPValidatorBuilder auditListener(AuditListener listener) {
        this.auditListener = listener;
        return this;
    }

    /**
     * @param url the protected resource metadata URL (RFC 9728 §5.1) every challenge carries as
     *     {@code resource_metadata}; default none ({@code dpop.metadata.resource}, {@code dpop.metadata.uri})
     * @return this builder
     */
    public DPoPValidatorBuilder resourceMetadata(URI url) {
        if (url != null && (!url.isAbsolute() || url.getRawFragment() != null)) {
            throw new DPoPConfigurationException(DPoPSettings.METADATA_URI, "must be an absolute URL without a fragment");
        }
        this.resourceMetadata = url;
        return this;
    }

    /**
     * @param provider who checks the proofs' signatures: {@code auto} (default: Amazon Corretto Crypto
     *     Provider when it is on the class path and its native code loads, else the JDK's), {@code jdk},
     *     {@code accp}, or the name of a provider registered with {@link java.security.Security}
     * @return this builder
     * @throws DPoPConfigurationException for a blank value or an unregistered provider name
     */
    public DPoPValidatorBuilder cryptoProvider(String provider) {
        try {
            this.cryptoProvider = CryptoProvider.checkName(provider);
            CryptoProvider.resolve(this.cryptoProvider, null);
        } catch (IllegalArgumentException e) {
            throw new DPoPConfigurationException(DPoPSettings.CRYPTO_PROVIDER, e.getMessage(), e);
        }
        return this;
    }

    /**
     * @param listener told of every call to the token issuer (JWKS fetches, introspection) made by the
     *     resolver built from {@link #settings}; a resolver passed to {@link #accessTokenResolver} takes
     *     its own. Default none
     * @return this builder
     */
    public DPoPValidatorBuilder issuerCallListener(org.dpopj.core.spi.IssuerCallListener listener) {
        this.issuerCallListener = listener;
        return this;
    }

    /**
     * @param delay advertised in {@code Retry-After} on 503; default 5 s ({@code dpop.retry-after})
     * @return this builder
     */
    public DPoPValidatorBuilder retryAfter(Duration delay) {
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
            accessTokenResolver = ValidatorSettings.accessTokenResolver(settings, clock, issuerCallListener).orElse(null);
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
                tokenEndpointOnly ? null : accessTokenResolver, retryAfter, clock, cryptoProvider);
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
