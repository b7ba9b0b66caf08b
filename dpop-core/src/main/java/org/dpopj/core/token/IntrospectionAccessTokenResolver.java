package org.dpopj.core.token;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.spi.AccessTokenResolver;

/**
 * Validates opaque access tokens with the authorization server's introspection endpoint (RFC 7662)
 * and returns what it reports, including the DPoP key binding {@code cnf.jkt} (RFC 9449 §6.2).
 *
 * <p>Each call POSTs {@code token} and {@code token_type_hint=access_token} (RFC 7662 §2.1),
 * authenticated with HTTP Basic client credentials, each form-urlencoded before base64 encoding
 * (RFC 6749 §2.3.1). The answer must be a 200 JSON object with a boolean {@code active} (§2.2);
 * anything else, a time-out or a refused connection answers {@code 503} ({@link
 * org.dpopj.core.DPoPError#TEMPORARILY_UNAVAILABLE}) with {@code Retry-After}, never a 2xx. After a
 * failure the endpoint is called again after 1 s, doubling up to {@link #MAX_BACKOFF}, by one request
 * at a time; the requests in between that need an answer not in the cache get 503 at once, without
 * waiting for a time-out. Cached answers are used throughout. The outage is logged once at {@code
 * WARNING} when it starts and once when the endpoint answers again, with its duration.
 *
 * <p>An inactive token, an active one whose {@code exp} has passed, or, for the {@code DPoP} scheme, a
 * {@code token_type} other than {@code DPoP} (RFC 9449 §6.2) is {@code invalid_token}. A token presented as {@code Bearer} whose
 * {@code token_type} is {@code DPoP} is returned: the validator rejects the downgrade on {@code cnf.jkt}.
 *
 * <p>A token issued for another resource server is refused (RFC 7662 §4, RFC 9068 §4 for the same
 * rule on JWTs): when {@linkplain IntrospectionAccessTokenResolverBuilder#audience audiences} are configured, an active answer must
 * carry an {@code aud}, a string or an array of strings (RFC 7662 §2.2), naming at least one of them;
 * when an {@linkplain IntrospectionAccessTokenResolverBuilder#issuer issuer} is configured, an answer's {@code iss} must equal it. A
 * missing {@code iss} is accepted, because RFC 7662 makes it optional and the answer comes from the
 * endpoint this resolver was configured with, over an authenticated call; a different or non-string
 * one is {@code invalid_token}. Both are checked on every use, cached answers included.
 *
 * <p>Answers are cached by the SHA-256 hash of the token, never the token: active ones for at most
 * the {@linkplain IntrospectionAccessTokenResolverBuilder#cacheLifetime cache lifetime} and never beyond {@code exp}, inactive ones for
 * the shorter {@linkplain IntrospectionAccessTokenResolverBuilder#inactiveCacheLifetime inactive lifetime}. The cache is bounded; when
 * full, expired entries are dropped and, if it is still full, new answers are simply not cached.
 *
 * <pre>{@code
 * AccessTokenResolver tokens = IntrospectionAccessTokenResolver.builder()
 *         .introspectionUri(URI.create("https://as.example.com/introspect"))
 *         .clientCredentials("resource-server", secret)
 *         .issuer("https://as.example.com")
 *         .audience("https://api.example.com")
 *         .clock(Clock.systemUTC())
 *         .build();
 * AccessToken token = tokens.resolve(tokenFromHeader, AuthScheme.DPOP);
 * }</pre>
 *
 * <p>Thread-safe; starts no threads of its own (the JDK {@link HttpClient} manages its own). Builder
 * arguments must not be {@code null}.
 */
public final class IntrospectionAccessTokenResolver implements AccessTokenResolver {

    /** Default longest time an active answer is cached. */
    public static final Duration DEFAULT_CACHE_LIFETIME = Duration.ofSeconds(60);
    /** Default time an inactive answer is cached. */
    public static final Duration DEFAULT_INACTIVE_CACHE_LIFETIME = Duration.ofSeconds(5);
    /** Default maximum number of cached answers. */
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    /** Default deadline of every introspection call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default allowance for clock differences with the authorization server. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(10);
    /** Default {@code Retry-After} when the endpoint cannot answer, the validator's own default. */
    public static final Duration DEFAULT_RETRY_AFTER = JwtAccessTokenResolver.DEFAULT_RETRY_AFTER;
    /** The longest wait between two calls while the endpoint is failing. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(IntrospectionAccessTokenResolver.class.getName());
    private static final Duration PURGE_INTERVAL = Duration.ofSeconds(1);

    private final URI introspectionUri;
    private final String authorization;
    private final String issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private final Duration clockSkew;
    private final Duration cacheLifetime;
    private final Duration inactiveCacheLifetime;
    private final int cacheMaxEntries;
    private final Duration retryAfter;
    private final IssuerHttp http;
    private final IssuerAvailability availability;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private Instant lastPurge = Instant.MIN;

    IntrospectionAccessTokenResolver(IntrospectionAccessTokenResolverBuilder builder) {
        this.introspectionUri = builder.introspectionUri;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (formEncode(builder.clientId) + ":" + formEncode(builder.clientSecret))
                        .getBytes(StandardCharsets.UTF_8));
        this.issuer = builder.issuer;
        this.audiences = Set.copyOf(builder.audiences);
        this.clock = builder.clock;
        this.clockSkew = builder.clockSkew;
        this.cacheLifetime = builder.cacheLifetime;
        this.inactiveCacheLifetime = builder.inactiveCacheLifetime;
        this.cacheMaxEntries = builder.cacheMaxEntries;
        this.retryAfter = builder.retryAfter;
        this.http = new IssuerHttp(
                builder.httpClient != null ? builder.httpClient : IssuerHttp.defaultClient(builder.timeout),
                builder.timeout);
        this.availability = new IssuerAvailability(LOG, "token introspection at "
                + IssuerHttp.redact(introspectionUri), MAX_BACKOFF,
                org.dpopj.core.spi.IssuerCallListener.Endpoint.INTROSPECTION, builder.issuerCallListener);
    }

    /** @return a new builder */
    public static IntrospectionAccessTokenResolverBuilder builder() {
        return new IntrospectionAccessTokenResolverBuilder();
    }

    @Override
    public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
        Objects.requireNonNull(scheme, "scheme");
        if (token == null || token.isEmpty()) {
            throw invalid("access token is missing");
        }
        return resolve(new PresentedToken(token, scheme));
    }

    /** Uses the token's hash as the cache key, so that the cache never holds a token. */
    @Override
    public AccessToken resolve(PresentedToken presented) throws DPoPException {
        String token = presented.value();
        AuthScheme scheme = presented.scheme();
        if (token.isEmpty()) {
            throw invalid("access token is missing");
        }
        if (token.length() > JwtAccessTokenResolver.MAX_TOKEN_LENGTH) {
            throw invalid("access token is too large");
        }
        String hash = presented.sha256();
        Instant now = clock.instant();
        Entry entry = cache.get(hash);
        if (entry == null || !now.isBefore(entry.expiresAt())) {
            if (entry != null) {
                cache.remove(hash, entry);
            }
            entry = introspect(token, hash, now);
        }
        if (entry.token() == null) {
            throw rejected(hash, "access token is not active");
        }
        checkIssuer(hash, entry.token());
        checkAudience(hash, entry.token());
        return checkTokenType(hash, entry.token(), scheme);
    }

    /** RFC 7662 §2.2: {@code iss} is optional; one that is present must be the configured issuer. */
    private void checkIssuer(String hash, AccessToken token) throws DPoPException {
        if (issuer == null) {
            return;
        }
        Optional<String> iss;
        try {
            iss = Json.string(token.claims(), "iss");
        } catch (Json.MalformedException e) {
            throw rejected(hash, "introspection answer is malformed: " + e.getMessage());
        }
        if (iss.isPresent() && !iss.get().equals(issuer)) {
            throw rejected(hash, "access token issuer is not accepted");
        }
    }

    /** RFC 7662 §2.2, §4: with audiences configured, {@code aud} must name one of them. */
    private void checkAudience(String hash, AccessToken token) throws DPoPException {
        if (audiences.isEmpty()) {
            return;
        }
        List<String> aud;
        try {
            aud = Json.stringOrStrings(token.claims(), "aud").orElse(List.of());
        } catch (Json.MalformedException e) {
            throw rejected(hash, "introspection answer is malformed: " + e.getMessage());
        }
        if (aud.stream().noneMatch(audiences::contains)) {
            throw rejected(hash, "access token audience is not accepted");
        }
    }

    /** RFC 9449 §6.2: a DPoP-bound token's {@code token_type} is {@code DPoP}. */
    private static AccessToken checkTokenType(String hash, AccessToken token, AuthScheme scheme)
            throws DPoPException {
        Optional<String> tokenType = token.tokenType();
        if (scheme == AuthScheme.DPOP && tokenType.isPresent()
                && !tokenType.get().equalsIgnoreCase(scheme.httpName())) {
            throw rejected(hash, "token_type mismatch");
        }
        return token;
    }

    private Entry introspect(String token, String hash, Instant now) throws DPoPException {
        if (!availability.claimAttempt(now)) {
            LOG.log(Level.DEBUG, "token introspection is failing; not called before its back-off has passed");
            throw unavailable(null);
        }
        Map<String, Object> answer;
        try {
            answer = call(token);
        } catch (IOException e) {
            availability.failed(now, IssuerAvailability.describe(e));
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            availability.failed(now, IssuerAvailability.describe(e));
            throw unavailable(e);
        }
        availability.succeeded(clock.instant());
        Object active = answer.get("active");
        if (!((Boolean) active)) {
            Entry inactive = new Entry(null, now.plus(inactiveCacheLifetime));
            if (inactiveCacheLifetime.compareTo(Duration.ZERO) > 0) {
                store(hash, inactive, now);
            }
            return inactive;
        }
        AccessToken accessToken;
        Optional<Instant> exp;
        try {
            exp = Json.numericDate(answer, "exp");
            if (exp.isPresent() && !now.isBefore(exp.get().plus(clockSkew))) {
                throw rejected(hash, "access token has expired");
            }
            Optional<Instant> nbf = Json.numericDate(answer, "nbf");
            if (nbf.isPresent() && nbf.get().minus(clockSkew).isAfter(now)) {
                throw rejected(hash, "access token is not yet valid");
            }
            accessToken = AccessToken.builder()
                    .subject(Json.string(answer, "sub").orElse(null))
                    .clientId(Json.string(answer, "client_id").orElse(null))
                    .scope(Json.string(answer, "scope").orElse(null))
                    .tokenType(Json.string(answer, "token_type").orElse(null))
                    .expiresAt(exp.orElse(null))
                    .jkt(Json.jkt(answer).orElse(null))
                    .claims(Json.immutableCopy(answer))
                    .build();
        } catch (Json.MalformedException e) {
            throw rejected(hash, "introspection answer is malformed: " + e.getMessage());
        }
        Instant cacheUntil = now.plus(cacheLifetime);
        if (exp.isPresent() && exp.get().isBefore(cacheUntil)) {
            cacheUntil = exp.get();
        }
        Entry entry = new Entry(accessToken, cacheUntil);
        if (cacheUntil.isAfter(now)) {
            store(hash, entry, now);
        }
        return entry;
    }

    /** RFC 7662 §2.2: a 200 JSON object with a boolean {@code active}; anything else is a failure of the endpoint. */
    private Map<String, Object> call(String token) throws IOException, InterruptedException {
        IssuerHttp.Response response = http.postForm(introspectionUri,
                "token=" + formEncode(token) + "&token_type_hint=access_token",
                Map.of("Authorization", authorization));
        if (response.status() != 200) {
            throw new IOException("introspection endpoint answered " + response.status());
        }
        if (!response.isJson()) {
            throw new IOException("introspection endpoint did not answer with JSON");
        }
        Map<String, Object> answer;
        try {
            answer = Json.parseObject(response.body());
        } catch (Json.MalformedException e) {
            throw new IOException("introspection endpoint did not answer with a JSON object");
        }
        if (!(answer.get("active") instanceof Boolean)) {
            throw new IOException("introspection answer has no boolean active member");
        }
        return answer;
    }

    /** Caches an answer if there is room, after dropping expired entries at most once a second. */
    private void store(String hash, Entry entry, Instant now) {
        if (cache.size() >= cacheMaxEntries) {
            synchronized (cache) {
                if (cache.size() >= cacheMaxEntries && !now.isBefore(lastPurge.plus(PURGE_INTERVAL))) {
                    lastPurge = now;
                    cache.values().removeIf(cached -> !now.isBefore(cached.expiresAt()));
                }
                if (cache.size() >= cacheMaxEntries) {
                    LOG.log(Level.DEBUG, "introspection cache is full; answer not cached");
                    return;
                }
            }
        }
        cache.put(hash, entry);
    }

    /** @return the cache keys, for tests that check the token itself is never a key */
    Set<String> cacheKeys() {
        return Set.copyOf(cache.keySet());
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private DPoPException unavailable(Throwable cause) {
        return DPoPException.unavailable(Check.ACCESS_TOKEN, "the token introspection endpoint is unavailable",
                retryAfter, cause);
    }

    private static DPoPException invalid(String description) {
        return DPoPException.invalidToken(Check.ACCESS_TOKEN, description);
    }

    private static DPoPException rejected(String hash, String description) {
        LOG.log(Level.DEBUG, () -> "rejected access token " + hash.substring(0, 8) + ": " + description);
        return invalid(description);
    }

    /** A cached answer: the token, or {@code null} for an inactive one, and when it stops being used. */
    private record Entry(AccessToken token, Instant expiresAt) {
    }
}
