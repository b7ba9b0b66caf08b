package org.dpopj.core.internal;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.DPoPValidatorBuilder;
import org.dpopj.core.Mode;
import org.dpopj.core.NonceMode;
import org.dpopj.core.audit.JsonAuditLog;
import org.dpopj.core.http.ProtectedResourceMetadata;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStoreFactory;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * The composition root: reads the {@code dpop.*} settings into a validator builder and creates the
 * shipped components (nonce source, replay store, access-token resolver) from them, so that the
 * validator itself never parses configuration. Stateless.
 */
public final class ValidatorSettings {

    /** The value of {@code dpop.replay.store} that selects the JCache store, the default. */
    public static final String JCACHE_STORE = "jcache";

    private static final System.Logger LOG = System.getLogger(DPoPValidator.class.getName());

    private ValidatorSettings() {
    }

    /**
     * Applies every validator setting present in {@code settings} to {@code builder}.
     *
     * @throws DPoPConfigurationException naming the first invalid key
     */
    public static void apply(DPoPSettings settings, DPoPValidatorBuilder builder) {
        settings.string(DPoPSettings.MODE).ifPresent(value -> builder.mode(parse(DPoPSettings.MODE, value, Mode::fromConfigValue)));
        List<String> algs = settings.list(DPoPSettings.ALGORITHMS);
        if (!algs.isEmpty()) {
            builder.algorithms(algs);
        }
        Optional<Integer> rsaMin = settings.positiveInt(DPoPSettings.RSA_MIN_BITS);
        Optional<Integer> rsaMax = settings.positiveInt(DPoPSettings.RSA_MAX_BITS);
        if (rsaMin.isPresent() || rsaMax.isPresent()) {
            builder.rsaKeySize(rsaMin.orElse(KeyLimits.DEFAULT.rsaMinBits()), rsaMax.orElse(KeyLimits.DEFAULT.rsaMaxBits()));
        }
        settings.positiveInt(DPoPSettings.PROOF_MAX_SIZE).ifPresent(builder::maxProofSize);
        settings.positiveInt(DPoPSettings.AUTHORIZATION_MAX_SIZE).ifPresent(builder::maxAuthorizationSize);
        settings.positiveInt(DPoPSettings.JTI_MAX_LENGTH).ifPresent(builder::maxJtiLength);
        settings.duration(DPoPSettings.PROOF_MAX_AGE).ifPresent(builder::proofMaxAge);
        settings.duration(DPoPSettings.CLOCK_SKEW).ifPresent(builder::clockSkew);
        settings.duration(DPoPSettings.RETRY_AFTER).ifPresent(builder::retryAfter);
        settings.string(DPoPSettings.CRYPTO_PROVIDER).ifPresent(builder::cryptoProvider);
        settings.duration(DPoPSettings.NONCE_IAT_DRIFT).ifPresent(builder::nonceIatDrift);
        NonceMode nonces = settings.string(DPoPSettings.NONCE_MODE)
                .map(value -> parse(DPoPSettings.NONCE_MODE, value, NonceMode::fromConfigValue))
                .orElse(NonceMode.OFF);
        if (nonces != NonceMode.OFF) {
            builder.nonces(nonces, nonceSource(settings));
        }
        ProtectedResourceMetadata.metadataUri(settings).ifPresent(builder::resourceMetadata);
    }

    private static NonceSource nonceSource(DPoPSettings settings) {
        Duration step = settings.duration(DPoPSettings.NONCE_STEP).orElse(Duration.ofSeconds(60));
        if (step.getSeconds() < 1) {
            throw new DPoPConfigurationException(DPoPSettings.NONCE_STEP, "must be at least one second");
        }
        if (settings.string(DPoPSettings.NONCE_SECRET).isEmpty()) {
            if (settings.string(DPoPSettings.NONCE_PREVIOUS_SECRET).isPresent()) {
                throw new DPoPConfigurationException(DPoPSettings.NONCE_PREVIOUS_SECRET,
                        "needs " + DPoPSettings.NONCE_SECRET + " as well");
            }
            LOG.log(Level.WARNING, "DPoP nonces are on without " + DPoPSettings.NONCE_SECRET
                    + ": using a random secret, so nonces are valid on this node only");
            return HmacNonceSource.withRandomSecret(step);
        }
        // read again on every request: a rotated secret applies without a restart
        return HmacNonceSource.fromSettings(settings, step);
    }

    /**
     * @return the audit sink {@value DPoPSettings#AUDIT_LOG} asks for: {@link JsonAuditLog} for
     *     {@code json}, none for {@code off} (the default)
     * @throws DPoPConfigurationException for any other value
     */
    public static Optional<AuditListener> auditLog(DPoPSettings settings) {
        String value = settings.string(DPoPSettings.AUDIT_LOG).orElse("off").toLowerCase(java.util.Locale.ROOT);
        switch (value) {
            case "off":
                return Optional.empty();
            case "json":
                return Optional.of(new JsonAuditLog());
            default:
                throw new DPoPConfigurationException(DPoPSettings.AUDIT_LOG, "must be off or json");
        }
    }

    /**
     * @return the replay store {@code dpop.replay.store} names (a {@link ReplayStoreFactory} found by
     *     {@link ServiceLoader}), or by default the JCache store the {@code dpop.replay.*} settings describe
     */
    public static ReplayStore replayStore(DPoPSettings settings, Duration window, Clock clock) {
        Optional<String> store = factoryStore(settings);
        if (store.isPresent()) {
            return replayStoreFactory(store.get()).create(settings, window, clock);
        }
        return JCacheReplayStore.fromSettings(settings, window, clock);
    }

    private static Optional<String> factoryStore(DPoPSettings settings) {
        return settings.string(DPoPSettings.REPLAY_STORE).map(String::trim).filter(name -> !name.equals(JCACHE_STORE));
    }

    private static ReplayStoreFactory replayStoreFactory(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ReplayStoreFactory factory : ServiceLoader.load(ReplayStoreFactory.class,
                loader != null ? loader : ValidatorSettings.class.getClassLoader())) {
            if (factory.name().equals(name)) {
                return factory;
            }
        }
        throw new DPoPConfigurationException(DPoPSettings.REPLAY_STORE, "no replay store named '" + name
                + "' on the class path (" + JCACHE_STORE + ", or a jar providing " + ReplayStoreFactory.class.getName() + ")");
    }

    /**
     * @return a replay store of its own for token-endpoint proofs (a cache named with the suffix
     *     {@code -token}), so that they never take room from resource requests; empty when the
     *     library does not create the provider's caches (neither Ehcache nor Hazelcast), whose
     *     caches must exist beforehand, or when {@code dpop.replay.store} names a store of a
     *     {@link ReplayStoreFactory}
     */
    public static Optional<ReplayStore> tokenRequestReplayStore(DPoPSettings settings, Duration window, Clock clock) {
        if (factoryStore(settings).isPresent()) {
            return Optional.empty();
        }
        String provider = settings.string(DPoPSettings.REPLAY_PROVIDER).orElse(JCacheReplayStore.EHCACHE_PROVIDER);
        if (!JCacheReplayStore.createsMissingCaches(provider)) {
            return Optional.empty();
        }
        return Optional.of(JCacheReplayStore.fromSettings(settings, window, clock, "-token"));
    }

    /** @return the access-token resolver the {@code dpop.token.*} settings describe, if any */
    public static Optional<AccessTokenResolver> accessTokenResolver(DPoPSettings settings, Clock clock) {
        return accessTokenResolver(settings, clock, null);
    }

    /** @return as {@link #accessTokenResolver(DPoPSettings, Clock)}, telling {@code listener} of issuer calls */
    public static Optional<AccessTokenResolver> accessTokenResolver(DPoPSettings settings, Clock clock,
                                                                   org.dpopj.core.spi.IssuerCallListener listener) {
        return AccessTokenResolvers.fromSettings(settings, clock, listener);
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new DPoPConfigurationException(key, e.getMessage(), e);
        }
    }
}
