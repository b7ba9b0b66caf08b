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

    /** Accepted schemes: {@code dpop-only} (default) or {@code dpop-or-bearer}. */
    public static final String MODE = "dpop.mode";
    /** Allowed proof algorithms, comma-separated; advertised in {@code algs}. */
    public static final String ALGORITHMS = "dpop.proof.algorithms";
    /** Largest {@code DPoP} header accepted, in bytes, checked before any parsing. */
    public static final String PROOF_MAX_SIZE = "dpop.proof.max-size";
    /** Largest {@code Authorization} header accepted, in bytes, checked before any hashing. */
    public static final String AUTHORIZATION_MAX_SIZE = "dpop.authorization.max-size";
    /** Smallest RSA modulus of a proof key, in bits (never under 2048). */
    public static final String RSA_MIN_BITS = "dpop.key.rsa-min-bits";
    /** Largest RSA modulus of a proof key, in bits. */
    public static final String RSA_MAX_BITS = "dpop.key.rsa-max-bits";
    /** How old a proof's {@code iat} may be. */
    public static final String PROOF_MAX_AGE = "dpop.proof.max-age";
    /** How far ahead a proof's {@code iat} may be; also the leeway for access-token times. */
    public static final String CLOCK_SKEW = "dpop.clock-skew";
    /** Longest {@code jti} accepted. */
    public static final String JTI_MAX_LENGTH = "dpop.proof.jti-max-length";
    /** {@code off} (default) or {@code required}: every proof must carry a fresh server nonce. */
    public static final String NONCE_MODE = "dpop.nonce.mode";
    /**
     * HMAC secret of the stateless nonces, at least 32 bytes; the same on every node. Read on every
     * request, so that a changed value applies without a restart.
     */
    public static final String NONCE_SECRET = "dpop.nonce.secret";
    /**
     * A second HMAC secret of the nonces, at least 32 bytes, accepted but never issued under: the
     * secret being rotated out (or, first, the one being rotated in). Read on every request.
     */
    public static final String NONCE_PREVIOUS_SECRET = "dpop.nonce.previous-secret";
    /** Nonce time step. */
    public static final String NONCE_STEP = "dpop.nonce.step";
    /** With nonces on, how far {@code iat} may be from now, either way. */
    public static final String NONCE_IAT_DRIFT = "dpop.nonce.iat-drift";
    /**
     * Which replay store: {@code jcache} (default, the JCache store of the {@code dpop.replay.*}
     * settings below) or the {@link org.dpopj.core.spi.ReplayStoreFactory#name() name} of a
     * {@link org.dpopj.core.spi.ReplayStoreFactory} on the class path, e.g. {@code infinispan}.
     */
    public static final String REPLAY_STORE = "dpop.replay.store";
    /** With {@code dpop.replay.store=infinispan}: the JNDI name of the server's Infinispan cache. */
    public static final String REPLAY_JNDI = "dpop.replay.jndi";
    /**
     * JCache provider class of the {@code jti} replay store, or {@code payara} for Payara's own data
     * grid (Hazelcast).
     */
    public static final String REPLAY_PROVIDER = "dpop.replay.provider";
    /** JCache cache name of the replay store. */
    public static final String REPLAY_CACHE = "dpop.replay.cache";
    /** JCache cache-manager URI of the replay store. */
    public static final String REPLAY_URI = "dpop.replay.uri";
    /** Cache-manager properties, {@code name=value} pairs separated by commas. */
    public static final String REPLAY_PROPERTIES = "dpop.replay.properties";
    /** Heap the replay store may fill (e.g. {@code 64MB}); the entry bound follows from it. */
    public static final String REPLAY_MAX_MEMORY = "dpop.replay.max-memory";
    /** Share of the replay store's entries one client key may hold, in (0, 1]. */
    public static final String REPLAY_MAX_SHARE_PER_KEY = "dpop.replay.max-share-per-key";
    /** Live proofs remembered per node; when full, new proofs get 503. */
    public static final String REPLAY_MAX_ENTRIES = "dpop.replay.max-entries";
    /** Live proofs per client key (or per authenticated client at a token endpoint). */
    public static final String REPLAY_MAX_PER_KEY = "dpop.replay.max-per-key";
    /**
     * With Hazelcast, the cluster members a node must see for its replay store to answer; below it,
     * requests get 503.
     */
    public static final String REPLAY_MIN_MEMBERS = "dpop.replay.min-members";
    /** {@code Retry-After} sent with every 503. */
    public static final String RETRY_AFTER = "dpop.retry-after";
    /** Public base URL the request path is appended to for the {@code htu} check. */
    public static final String HTU_BASE_URI = "dpop.htu.base-uri";
    /** Addresses or CIDR ranges whose forwarded headers are honoured. */
    public static final String HTU_TRUSTED_PROXIES = "dpop.htu.trusted-proxies";
    /** Which forwarded headers trusted proxies write: {@code x-forwarded}, {@code forwarded} or {@code none}. */
    public static final String HTU_FORWARDED_HEADERS = "dpop.htu.forwarded-headers";
    /** Whether a token's scopes are also its roles. */
    public static final String ROLES_FROM_SCOPES = "dpop.roles-from-scopes";
    /** Jakarta Security mechanism: the claim naming the caller (a dotted path); unset: sub, else client_id, else the key's thumbprint. */
    public static final String SECURITY_PRINCIPAL_CLAIM = "dpop.security.principal-claim";
    /** Jakarta Security mechanism: whether the token's scopes are groups of the caller. */
    public static final String SECURITY_GROUPS_FROM_SCOPES = "dpop.security.groups-from-scopes";
    /** Jakarta Security mechanism: a claim (a dotted path such as {@code realm_access.roles}) whose strings are groups. */
    public static final String SECURITY_ROLES_CLAIM = "dpop.security.roles-claim";
    /** Jakarta Security mechanism: a prefix put before every group not named in the role mapping. */
    public static final String SECURITY_ROLE_PREFIX = "dpop.security.role-prefix";
    /** Jakarta Security mechanism: {@code scope-or-role=group} pairs, comma-separated. */
    public static final String SECURITY_ROLE_MAPPING = "dpop.security.role-mapping";
    /**
     * RFC 9728 resource identifier (https, or http on a loopback host; no query or fragment); setting it
     * publishes the protected resource metadata and adds {@code resource_metadata} to every challenge.
     */
    public static final String METADATA_RESOURCE = "dpop.metadata.resource";
    /** RFC 9728 {@code authorization_servers}, issuer identifiers, comma-separated; default {@code dpop.token.issuer}. */
    public static final String METADATA_AUTHORIZATION_SERVERS = "dpop.metadata.authorization-servers";
    /** RFC 9728 {@code scopes_supported}, comma-separated. */
    public static final String METADATA_SCOPES = "dpop.metadata.scopes";
    /** RFC 9728 {@code resource_name}, human-readable. */
    public static final String METADATA_RESOURCE_NAME = "dpop.metadata.resource-name";
    /** RFC 9728 {@code resource_documentation}, an http(s) URL. */
    public static final String METADATA_RESOURCE_DOCUMENTATION = "dpop.metadata.resource-documentation";
    /**
     * The URL advertised in {@code resource_metadata}; default the RFC 9728 §3.1 well-known URL of the
     * resource, e.g. {@code https://api.example.com/.well-known/oauth-protected-resource/orders}.
     */
    public static final String METADATA_URI = "dpop.metadata.uri";
    /** {@code off} (default) or {@code json}: one JSON line per decision to the logger {@code org.dpopj.audit}. */
    public static final String AUDIT_LOG = "dpop.audit.log";
    /**
     * JCA provider of the signature checks: {@code auto} (default: Amazon Corretto Crypto Provider when
     * present and loadable, else the JDK's; Google Tink's Ed25519 verifier when present and no provider
     * verifies Ed25519), {@code jdk}, {@code accp}, {@code tink}, or a registered provider's name.
     */
    public static final String CRYPTO_PROVIDER = "dpop.crypto.provider";
    /** Verified JWT access tokens remembered until their {@code exp}, so each costs one signature check; 0 = off. */
    public static final String TOKEN_CACHE_MAX_ENTRIES = "dpop.token.cache-max-entries";

    private final Function<String, String> lookup;

    private DPoPSettings(Function<String, String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * @param lookup returns the raw value of a key, or {@code null}
     * @return settings read through {@code lookup}
     */
    public static DPoPSettings from(Function<String, String> lookup) {
        return new DPoPSettings(lookup);
    }

    /**
     * @param values keys to values
     * @return settings read from {@code values}
     */
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

    /**
     * @param key the setting's key
     * @return the trimmed value of {@code key}, if set and not blank
     */
    public Optional<String> string(String key) {
        return Optional.ofNullable(raw(key));
    }

    /**
     * @param key the setting's key
     * @return the value of {@code key} as a duration, if set
     */
    public Optional<Duration> duration(String key) {
        return string(key).map(value -> parseDuration(key, value));
    }

    /**
     * @param key the setting's key
     * @return the value of {@code key} as a positive integer, if set
     */
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

    /**
     * @param key the setting's key
     * @return the value of {@code key} as {@code true} or {@code false}, if set
     */
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

    /**
     * @param key the setting's key
     * @return the value of {@code key} as an absolute http or https URI, if set
     */
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

    /**
     * @param key the setting's key
     * @return the comma-separated values of {@code key}, trimmed, blanks dropped; empty if unset
     */
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
