package org.dpopj.core.token;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.AccessTokenResolver;

/**
 * Builds the configured {@link AccessTokenResolver} from {@code dpop.token.*} settings: an
 * {@link IntrospectionAccessTokenResolver} (RFC 7662) when {@value #INTROSPECTION_URI} is set, a
 * {@link JwtAccessTokenResolver} (RFC 9068) otherwise when {@value #JWKS_URI} or {@value #ISSUER} is
 * set, and none when neither is. {@value #JWKS_URI} with {@value #INTROSPECTION_URI} gives both, side
 * by side ({@link JwtOrIntrospectionAccessTokenResolver}): JWTs of {@value #ISSUER} checked locally
 * against the JWKS, every other token introspected; both JWT and introspection settings are then
 * required. With introspection alone, {@value #ISSUER} and {@value #AUDIENCE} are optional and, when set, checked
 * against the answer's {@code iss} and {@code aud} (see {@link IntrospectionAccessTokenResolver}); no
 * discovery is made from the issuer then. No network call is made: a JWKS location is discovered from
 * the issuer on first use, so a resource server can start before its issuer.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #JWKS_URI}</td><td>discovered</td><td>the issuer's JWKS</td></tr>
 *   <tr><td>{@value #ISSUER}</td><td>required for JWTs</td><td>exact {@code iss} (introspection: of answers that carry one); base of RFC 8414 discovery for JWTs</td></tr>
 *   <tr><td>{@value #AUDIENCE}</td><td>required for JWTs</td><td>accepted {@code aud} values, comma-separated (introspection: an answer must name one when set)</td></tr>
 *   <tr><td>{@value #ACCEPT_PLAIN_JWT}</td><td>false</td><td>also accept {@code typ} JWT or none</td></tr>
 *   <tr><td>{@value #ALGORITHMS}</td><td>RS, PS, ES 256/384/512, EdDSA</td><td>accepted token algorithms</td></tr>
 *   <tr><td>{@value #JWKS_CACHE}</td><td>10m</td><td>key set lifetime</td></tr>
 *   <tr><td>{@value #JWKS_REFRESH_INTERVAL}</td><td>5s</td><td>least time between a successful key set fetch and the next (an unknown {@code kid} refreshes at once otherwise); longest back-off after failed fetches (1 s doubling); at least 1s</td></tr>
 *   <tr><td>{@value #TIMEOUT}</td><td>5s</td><td>deadline of every call to the issuer</td></tr>
 *   <tr><td>{@value #INTROSPECTION_URI}</td><td>none</td><td>RFC 7662 endpoint</td></tr>
 *   <tr><td>{@value #INTROSPECTION_CLIENT_ID}</td><td>required for introspection</td><td>client id for HTTP Basic</td></tr>
 *   <tr><td>{@value #INTROSPECTION_CLIENT_SECRET}</td><td>required for introspection</td><td>client secret for HTTP Basic</td></tr>
 *   <tr><td>{@value #INTROSPECTION_CACHE}</td><td>60s</td><td>longest caching of an active answer (never beyond exp)</td></tr>
 *   <tr><td>{@value #INTROSPECTION_INACTIVE_CACHE}</td><td>5s</td><td>caching of an inactive answer</td></tr>
 *   <tr><td>{@value #INTROSPECTION_CACHE_MAX_ENTRIES}</td><td>10000</td><td>most cached answers</td></tr>
 *   <tr><td>{@code dpop.clock-skew}</td><td>10s</td><td>clock skew for exp, nbf, iat</td></tr>
 *   <tr><td>{@value #JWKS_MAX_STALENESS}</td><td>1h</td><td>how long past its lifetime the last good key set is used while the issuer cannot be reached</td></tr>
 *   <tr><td>{@code dpop.retry-after}</td><td>5s</td><td>Retry-After of every 503, the issuer's included</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 */
public final class AccessTokenResolvers {

    /** The issuer's JWKS; when unset, discovered from {@link #ISSUER}. */
    public static final String JWKS_URI = "dpop.token.jwks-uri";
    /** Expected {@code iss} of access tokens (and of introspection answers that carry one). */
    public static final String ISSUER = "dpop.token.issuer";
    /** Accepted {@code aud} values, comma-separated. */
    public static final String AUDIENCE = "dpop.token.audience";
    /** Also accept JWTs whose {@code typ} is not {@code at+jwt}, with the lenient claim profile. */
    public static final String ACCEPT_PLAIN_JWT = "dpop.token.accept-plain-jwt";
    /** Access-token signature algorithms allowed. */
    public static final String ALGORITHMS = "dpop.token.algorithms";
    /** How long a fetched JWKS is used before refreshing. */
    public static final String JWKS_CACHE = "dpop.token.jwks-cache";
    /** Least time between a successful JWKS fetch and the next one triggered by an unknown {@code kid}. */
    public static final String JWKS_REFRESH_INTERVAL = "dpop.token.jwks-refresh-interval";
    /** How long past its lifetime the last good JWKS is used while the issuer is unreachable. */
    public static final String JWKS_MAX_STALENESS = "dpop.token.jwks-max-stale";
    /** Time-out of every call to the issuer. */
    public static final String TIMEOUT = "dpop.token.timeout";
    /** RFC 7662 endpoint for opaque tokens. */
    public static final String INTROSPECTION_URI = "dpop.token.introspection-uri";
    /** Client id for introspection (HTTP Basic). */
    public static final String INTROSPECTION_CLIENT_ID = "dpop.token.introspection-client-id";
    /** Client secret for introspection. */
    public static final String INTROSPECTION_CLIENT_SECRET = "dpop.token.introspection-client-secret";
    /** Longest an active introspection answer is cached (never past the token's {@code exp}). */
    public static final String INTROSPECTION_CACHE = "dpop.token.introspection-cache";
    /** How long an inactive introspection answer is cached. */
    public static final String INTROSPECTION_INACTIVE_CACHE = "dpop.token.introspection-inactive-cache";
    /** Most cached introspection answers. */
    public static final String INTROSPECTION_CACHE_MAX_ENTRIES = "dpop.token.introspection-cache-max-entries";

    private AccessTokenResolvers() {
    }

    /**
     * @param settings the settings to read
     * @param clock the clock for token times and caches
     * @return the configured resolver, or empty when no token settings are present
     * @throws DPoPConfigurationException naming the key that is missing, invalid or in conflict
     */
    public static Optional<AccessTokenResolver> fromSettings(DPoPSettings settings, Clock clock) {
        return fromSettings(settings, clock, null);
    }

    /**
     * As {@link #fromSettings(DPoPSettings, Clock)}, telling {@code listener} of every call to the issuer.
     *
     * @param settings the settings to read
     * @param clock the clock for token times and caches
     * @param listener told of every JWKS fetch and introspection call; {@code null} for none
     * @return the configured resolver, or empty when no token settings are present
     * @throws DPoPConfigurationException naming the key that is missing, invalid or in conflict
     */
    public static Optional<AccessTokenResolver> fromSettings(DPoPSettings settings, Clock clock,
                                                             org.dpopj.core.spi.IssuerCallListener listener) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Optional<URI> introspectionUri = settings.httpUri(INTROSPECTION_URI);
        Optional<URI> jwksUri = settings.httpUri(JWKS_URI);
        Optional<String> issuer = settings.string(ISSUER);
        if (introspectionUri.isPresent() && jwksUri.isPresent()) {
            AccessTokenResolver jwt = jwt(settings, clock, jwksUri, issuer, listener);
            return Optional.of(JwtOrIntrospectionAccessTokenResolver.of(issuer.orElseThrow(), jwt,
                    introspection(settings, clock, introspectionUri.get(), listener)));
        }
        if (introspectionUri.isPresent()) {
            return Optional.of(introspection(settings, clock, introspectionUri.get(), listener));
        }
        if (jwksUri.isPresent() || issuer.isPresent()) {
            return Optional.of(jwt(settings, clock, jwksUri, issuer, listener));
        }
        return Optional.empty();
    }

    private static AccessTokenResolver introspection(DPoPSettings settings, Clock clock, URI uri,
                                                     org.dpopj.core.spi.IssuerCallListener listener) {
        String clientId = settings.string(INTROSPECTION_CLIENT_ID)
                .orElseThrow(() -> new DPoPConfigurationException(INTROSPECTION_CLIENT_ID, "is required with "
                        + INTROSPECTION_URI));
        String clientSecret = settings.string(INTROSPECTION_CLIENT_SECRET)
                .orElseThrow(() -> new DPoPConfigurationException(INTROSPECTION_CLIENT_SECRET, "is required with "
                        + INTROSPECTION_URI));
        IntrospectionAccessTokenResolverBuilder builder = IntrospectionAccessTokenResolver.builder()
                .introspectionUri(uri)
                .clientCredentials(clientId, clientSecret)
                .audiences(settings.list(AUDIENCE))
                .clock(clock)
                .issuerCallListener(listener);
        settings.string(ISSUER).ifPresent(builder::issuer);
        apply(settings, DPoPSettings.CLOCK_SKEW, builder::clockSkew);
        apply(settings, TIMEOUT, builder::timeout);
        apply(settings, INTROSPECTION_CACHE, builder::cacheLifetime);
        apply(settings, INTROSPECTION_INACTIVE_CACHE, builder::inactiveCacheLifetime);
        apply(settings, DPoPSettings.RETRY_AFTER, builder::retryAfter);
        settings.positiveInt(INTROSPECTION_CACHE_MAX_ENTRIES).ifPresent(builder::cacheMaxEntries);
        return builder.build();
    }

    private static AccessTokenResolver jwt(DPoPSettings settings, Clock clock, Optional<URI> jwksUri,
                                           Optional<String> issuer,
                                           org.dpopj.core.spi.IssuerCallListener listener) {
        String expectedIssuer = issuer.orElseThrow(() -> new DPoPConfigurationException(ISSUER,
                "is required to check the iss of JWT access tokens"));
        List<String> audiences = settings.list(AUDIENCE);
        if (audiences.isEmpty()) {
            throw new DPoPConfigurationException(AUDIENCE, "is required to check the aud of JWT access tokens");
        }
        JwtAccessTokenResolverBuilder builder = JwtAccessTokenResolver.builder()
                .issuer(expectedIssuer)
                .audiences(audiences)
                .clock(clock)
                .issuerCallListener(listener);
        if (jwksUri.isPresent()) {
            builder.jwksUri(jwksUri.get());
        } else {
            // discovery needs an http(s) issuer; this reader fails naming the key otherwise
            settings.httpUri(ISSUER);
        }
        settings.bool(ACCEPT_PLAIN_JWT).ifPresent(builder::acceptPlainJwt);
        List<String> algorithms = settings.list(ALGORITHMS);
        if (!algorithms.isEmpty()) {
            try {
                builder.algorithms(algorithms);
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(ALGORITHMS, "only asymmetric algorithms are allowed: "
                        + String.join(",", JwtAccessTokenResolver.DEFAULT_ALGORITHMS));
            }
        }
        apply(settings, DPoPSettings.CLOCK_SKEW, builder::clockSkew);
        apply(settings, JWKS_CACHE, builder::jwksCacheLifetime);
        apply(settings, JWKS_REFRESH_INTERVAL, builder::jwksRefreshInterval);
        apply(settings, JWKS_MAX_STALENESS, builder::jwksMaxStaleness);
        apply(settings, TIMEOUT, builder::timeout);
        apply(settings, DPoPSettings.RETRY_AFTER, builder::retryAfter);
        builder.performanceSettings(settings);
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new DPoPConfigurationException(ISSUER, e.getMessage(), e);
        }
    }

    private static void apply(DPoPSettings settings, String key, Consumer<Duration> setter) {
        settings.duration(key).ifPresent(value -> {
            try {
                setter.accept(value);
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(key, e.getMessage(), e);
            }
        });
    }
}
