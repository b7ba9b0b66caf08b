package org.dpopj.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code dpop.*} settings, read through one lookup function: web.xml init-params, MicroProfile
 * Config, system properties or a map. Each setting has exactly one key; typed readers fail with a
 * {@link DPoPConfigurationException} naming the key. Blank values count as absent.
 *
 * <p>Durations are ISO-8601 ({@code PT60S}) or a number with a unit ({@code 60s}, {@code 500ms},
 * {@code 5m}, {@code 1h}); a bare number means seconds. Lists are comma-separated.
 *
 * <p>Immutable and thread-safe when the lookup function is.
 */
public final class DPoPSettings {

    public static final String MODE = "dpop.mode";
    public static final String ALGORITHMS = "dpop.proof.algorithms";
    public static final String PROOF_MAX_SIZE = "dpop.proof.max-size";
    public static final String AUTHORIZATION_MAX_SIZE = "dpop.authorization.max-size";
    public static final String RSA_MIN_BITS = "dpop.key.rsa-min-bits";
    public static final String RSA_MAX_BITS = "dpop.key.rsa-max-bits";
    public static final String PROOF_MAX_AGE = "dpop.proof.max-age";
    public static final String CLOCK_SKEW = "dpop.clock-skew";
    public static final String JTI_MAX_LENGTH = "dpop.proof.jti-max-length";
    public static final String NONCE_MODE = "dpop.nonce.mode";
    public static final String NONCE_SECRET = "dpop.nonce.secret";
    public static final String NONCE_STEP = "dpop.nonce.step";
    public static final String NONCE_IAT_DRIFT = "dpop.nonce.iat-drift";
    public static final String REPLAY_PROVIDER = "dpop.replay.provider";
    public static final String REPLAY_CACHE = "dpop.replay.cache";
    public static final String REPLAY_URI = "dpop.replay.uri";
    public static final String REPLAY_PROPERTIES = "dpop.replay.properties";
    public static final String REPLAY_MAX_ENTRIES = "dpop.replay.max-entries";
    public static final String REPLAY_MAX_PER_KEY = "dpop.replay.max-per-key";
    public static final String RETRY_AFTER = "dpop.retry-after";
    public static final String HTU_BASE_URI = "dpop.htu.base-uri";
    public static final String HTU_TRUSTED_PROXIES = "dpop.htu.trusted-proxies";
    public static final String HTU_FORWARDED_HEADERS = "dpop.htu.forwarded-headers";
    public static final String ROLES_FROM_SCOPES = "dpop.roles-from-scopes";

    private final Function<String, String> lookup;

    private DPoPSettings(Function<String, String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** @param lookup returns the raw value of a key, or {@code null} */
    public static DPoPSettings from(Function<String, String> lookup) {
        return new DPoPSettings(lookup);
    }

    /** @param values keys to values */
    public static DPoPSettings from(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new DPoPSettings(copy::get);
    }

    /** @return settings read from {@link System#getProperty(String)} */
    public static DPoPSettings fromSystemProperties() {
        return new DPoPSettings(System::getProperty);
    }

    /**
     * @param fallback consulted for keys this source does not have
     * @return settings that read this source first
     */
    public DPoPSettings orElse(DPoPSettings fallback) {
        return new DPoPSettings(key -> {
            String value = raw(key);
            return value != null ? value : fallback.raw(key);
        });
    }

    private String raw(String key) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** @return the trimmed value of {@code key}, if set and not blank */
    public Optional<String> string(String key) {
        return Optional.ofNullable(raw(key));
    }

    /** @return the value of {@code key} as a duration, if set */
    public Optional<Duration> duration(String key) {
        return string(key).map(value -> parseDuration(key, value));
    }

    /** @return the value of {@code key} as a positive integer, if set */
    public Optional<Integer> positiveInt(String key) {
        return string(key).map(value -> {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed <= 0) {
                    throw new DPoPConfigurationException(key, "must be a positive integer");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new DPoPConfigurationException(key, "must be a positive integer", e);
            }
        });
    }

    /** @return the value of {@code key} as {@code true} or {@code false}, if set */
    public Optional<Boolean> bool(String key) {
        return string(key).map(value -> {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                default:
                    throw new DPoPConfigurationException(key, "must be true or false");
            }
        });
    }

    /** @return the value of {@code key} as an absolute http or https URI, if set */
    public Optional<URI> httpUri(String key) {
        return string(key).map(value -> {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!uri.isAbsolute() || uri.getHost() == null
                        || !(scheme.equals("http") || scheme.equals("https"))) {
                    throw new DPoPConfigurationException(key, "must be an absolute http or https URI");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new DPoPConfigurationException(key, "is not a valid URI", e);
            }
        });
    }

    /** @return the comma-separated values of {@code key}, trimmed, blanks dropped; empty if unset */
    public List<String> list(String key) {
        return string(key)
                .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /**
     * @param key the key, for the error message
     * @param value the value to parse
     * @return the parsed duration
     * @throws DPoPConfigurationException when the value is not a non-negative duration
     */
    public static Duration parseDuration(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Duration parsed;
        try {
            if (text.startsWith("p") || text.startsWith("-p")) {
                parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
            } else if (text.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
            } else if (text.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            } else if (text.endsWith("m")) {
                parsed = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            } else if (text.endsWith("h")) {
                parsed = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            } else {
                parsed = Duration.ofSeconds(Long.parseLong(text));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new DPoPConfigurationException(key, "must be a duration such as PT60S or 60s", e);
        }
        if (parsed.isNegative()) {
            throw new DPoPConfigurationException(key, "must not be negative");
        }
        return parsed;
    }
}
