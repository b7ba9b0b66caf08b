package org.dpopj.core.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.DPoPValidatorBuilder;
import org.dpopj.core.Mode;
import org.dpopj.core.NonceMode;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * The composition root: reads the {@code dpop.*} settings into a validator builder and creates the
 * shipped components (nonce source, replay store, access-token resolver) from them, so that the
 * validator itself never parses configuration. Stateless.
 */
public final class ValidatorSettings {

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
        settings.duration(DPoPSettings.NONCE_IAT_DRIFT).ifPresent(builder::nonceIatDrift);
        NonceMode nonces = settings.string(DPoPSettings.NONCE_MODE)
                .map(value -> parse(DPoPSettings.NONCE_MODE, value, NonceMode::fromConfigValue))
                .orElse(NonceMode.OFF);
        if (nonces != NonceMode.OFF) {
            builder.nonces(nonces, nonceSource(settings));
        }
    }

    private static NonceSource nonceSource(DPoPSettings settings) {
        Duration step = settings.duration(DPoPSettings.NONCE_STEP).orElse(Duration.ofSeconds(60));
        if (step.getSeconds() < 1) {
            throw new DPoPConfigurationException(DPoPSettings.NONCE_STEP, "must be at least one second");
        }
        Optional<String> secret = settings.string(DPoPSettings.NONCE_SECRET);
        if (secret.isEmpty()) {
            LOG.log(Level.WARNING, "DPoP nonces are on without " + DPoPSettings.NONCE_SECRET
                    + ": using a random secret, so nonces are valid on this node only");
            return HmacNonceSource.withRandomSecret(step);
        }
        byte[] bytes = secret.get().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < HmacNonceSource.MIN_SECRET_BYTES) {
            throw new DPoPConfigurationException(DPoPSettings.NONCE_SECRET,
                    "must be at least " + HmacNonceSource.MIN_SECRET_BYTES + " bytes");
        }
        return HmacNonceSource.create(bytes, step);
    }

    /** @return the JCache replay store the {@code dpop.replay.*} settings describe */
    public static ReplayStore replayStore(DPoPSettings settings, Duration window, Clock clock) {
        return JCacheReplayStore.fromSettings(settings, window, clock);
    }

    /**
     * @return a replay store of its own for token-endpoint proofs (a cache named with the suffix
     *     {@code -token}), so that they never take room from resource requests; empty when the
     *     provider is not the embedded Ehcache, whose caches must exist beforehand
     */
    public static Optional<ReplayStore> tokenRequestReplayStore(DPoPSettings settings, Duration window, Clock clock) {
        String provider = settings.string(DPoPSettings.REPLAY_PROVIDER).orElse(JCacheReplayStore.EHCACHE_PROVIDER);
        if (!provider.equals(JCacheReplayStore.EHCACHE_PROVIDER)) {
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
