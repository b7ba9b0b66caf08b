package org.dpopj.core.token;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.PresentedToken;
import org.dpopj.core.jose.CompactJws;
import org.dpopj.core.jose.CryptoProvider;
import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.jose.Signatures;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.spi.AccessTokenResolver;

/**
 * Validates JWT access tokens (RFC 9068) against the issuer's JSON Web Key Set and returns their
 * claims, including the DPoP key binding {@code cnf.jkt} (RFC 9449 §6.1).
 *
 * <p>A token is accepted only if it is a JWS (RFC 7515) of strict JSON with an allow-listed asymmetric
 * {@code alg} (HMAC and {@code none} can never be allowed), {@code typ} {@code at+jwt} (RFC 9068 §2.1;
 * plain JWTs only where {@link JwtAccessTokenResolverBuilder#acceptPlainJwt(boolean) configured}), a signature that verifies
 * with a public signing key of the issuer's JWKS, {@code iss} equal to the configured issuer,
 * {@code aud} containing a configured audience, an {@code exp} in the future, and {@code nbf} and
 * {@code iat} not in the future, all with the same clock skew (RFC 9068 §4, RFC 7519 §4.1). An
 * {@code at+jwt} must also carry every claim RFC 9068 §2.2 requires: {@code sub}, {@code client_id},
 * {@code iat} and {@code jti}; a plain JWT, accepted only by choice, need not.
 *
 * <p>Keys come from the issuer's JWKS, discovered, cached and refreshed as the builder says (see
 * {@link JwtAccessTokenResolverBuilder#jwksRefreshInterval}). A token naming an unknown {@code kid} triggers a refresh at
 * once, unless one was made less than the refresh interval ago or the issuer is failing and its
 * back-off (1 s, doubling up to the interval) has not elapsed; concurrent refreshes are one fetch.
 * Such a token is {@code invalid_token} (401) only when a key set fetched after the token was issued
 * lacks its {@code kid}: a fetch started after the request arrived, or at or after the token's
 * {@code iat} plus the clock skew. Otherwise the key may be newer than what we know and we cannot ask
 * now, so the answer is {@code 503} ({@link org.dpopj.core.DPoPError#TEMPORARILY_UNAVAILABLE}) with
 * {@code Retry-After}, as it is when no usable keys are known. A key the issuer removed is accepted
 * until the next successful fetch, at most the {@linkplain JwtAccessTokenResolverBuilder#jwksCacheLifetime cache lifetime}
 * later (plus the {@linkplain JwtAccessTokenResolverBuilder#jwksMaxStaleness staleness bound} while the issuer is down).
 *
 * <p>A verified token is remembered by its SHA-256 until its {@code exp} (plus the skew), so that a
 * client presenting it for minutes costs one signature check: a later request with the very same token
 * skips parsing and verification while the key that verified it is still in the issuer's current key
 * set, and is refused as before once that key is gone or the token has expired. At most
 * {@linkplain JwtAccessTokenResolverBuilder#tokenCacheMaxEntries a bounded number} of tokens are kept
 * ({@value #DEFAULT_TOKEN_CACHE_MAX_ENTRIES} by default; 0 turns it off).
 *
 * <pre>{@code
 * AccessTokenResolver tokens = JwtAccessTokenResolver.builder()
 *         .issuer("https://as.example.com")
 *         .audience("https://api.example.com")
 *         .build();                       // jwks_uri discovered from the issuer on first use
 * }</pre>
 *
 * <p>Immutable configuration, thread-safe, starts no threads of its own (the JDK {@link HttpClient}
 * manages its own). Builder arguments must not be {@code null}.
 */
public final class JwtAccessTokenResolver implements AccessTokenResolver {

    /** The asymmetric JWS algorithms accepted by default (RFC 7518 §3.1, RFC 8037 §3.1). */
    public static final List<String> DEFAULT_ALGORITHMS = JwsAlgorithm.NAMES;
    /** Default allowance for clock differences with the issuer, the same as for proofs. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(10);
    /** Default lifetime of a fetched key set. */
    public static final Duration DEFAULT_JWKS_CACHE_LIFETIME = Duration.ofMinutes(10);
    /** Default minimum interval between a successful fetch of the key set and the next one; the longest back-off after failures. */
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(5);
    /** The smallest refresh interval accepted: a floor on how often random {@code kid}s can make us call the issuer. */
    public static final Duration MIN_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** Default time a key set is still used past its lifetime while the issuer cannot be reached. */
    public static final Duration DEFAULT_JWKS_MAX_STALENESS = Duration.ofHours(1);
    /** Default deadline of every outbound call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@code Retry-After} when the issuer's keys are unavailable, the validator's own default. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** Default number of verified tokens remembered until their {@code exp}; 0 turns the cache off. */
    public static final int DEFAULT_TOKEN_CACHE_MAX_ENTRIES = 10_000;

    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(JwtAccessTokenResolver.class.getName());

    private final String issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private final Duration clockSkew;
    private final Set<JwsAlgorithm> algorithms;
    private final boolean acceptPlainJwt;
    private final Duration retryAfter;
    private final JwksSource keys;
    private final Signatures signatures;
    private final VerifiedTokenCache verified;

    JwtAccessTokenResolver(JwtAccessTokenResolverBuilder builder) {
        this.issuer = builder.issuer;
        this.audiences = Set.copyOf(builder.audiences);
        this.clock = builder.clock;
        this.clockSkew = builder.clockSkew;
        this.algorithms = builder.algorithms.stream().map(name -> JwsAlgorithm.named(name).orElseThrow())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.acceptPlainJwt = builder.acceptPlainJwt;
        this.retryAfter = builder.retryAfter;
        CryptoProvider cryptoProvider = CryptoProvider.resolve(builder.cryptoProvider, LOG);
        this.signatures = new Signatures(cryptoProvider);
        this.verified = new VerifiedTokenCache(builder.tokenCacheMaxEntries);
        IssuerHttp http = new IssuerHttp(
                builder.httpClient != null ? builder.httpClient : IssuerHttp.defaultClient(builder.timeout),
                builder.timeout);
        this.keys = new JwksSource(builder.issuer, builder.jwksUri, http, builder.clock, builder.jwksCacheLifetime,
                builder.jwksRefreshInterval, builder.jwksMaxStaleness, KeyLimits.DEFAULT,
                cryptoProvider.provider().orElse(null), builder.issuerCallListener);
    }

    /** @return a new builder */
    public static JwtAccessTokenResolverBuilder builder() {
        return new JwtAccessTokenResolverBuilder();
    }

    @Override
    public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
        if (token == null || token.isEmpty()) {
            throw invalid("access token is missing");
        }
        return resolve(new PresentedToken(token, scheme));
    }

    @Override
    public AccessToken resolve(PresentedToken presented) throws DPoPException {
        String token = presented.value();
        if (token.isEmpty()) {
            throw invalid("access token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("access token is too large");
        }
        AccessToken known = remembered(presented);
        if (known != null) {
            return known;
        }
        CompactJws jws = parse(token);
        JwsAlgorithm alg = checkHeader(jws);
        String kid = keyId(jws);
        long arrival = keys.fetchesStarted();
        JwksSource.State state = keys.current();
        if (state.keys() == null) {
            throw unavailable(state);
        }
        List<JwksSource.VerificationKey> candidates = state.select(kid, alg);
        if (candidates.isEmpty() && kid != null && !state.hasKid(kid)) {
            state = keys.refreshForUnknownKid(state);
            if (state.keys() != null && state.hasKid(kid)) {
                candidates = state.select(kid, alg);
            } else if (state.fetchedAfterIssue(arrival, unverifiedIssuedAt(jws), clockSkew)) {
                throw rejected(presented, "access token is signed with an unknown key");
            } else {
                // the key may be newer than our key set, and the issuer cannot be asked now
                throw unavailable(state);
            }
        }
        if (candidates.isEmpty()) {
            throw rejected(presented, "no suitable issuer key for the access token");
        }
        JwksSource.VerificationKey key = verify(presented, jws, alg, candidates);
        Instant now = clock.instant();
        VerifiedTokenCache.Entry entry = readClaims(presented, jws, key, now);
        verified.put(presented.sha256(), entry, now);
        return entry.token();
    }

    /**
     * @return the token as verified before, if the cache has it and it is still valid now with a key
     *     the issuer's current key set still holds; the key set is consulted (and refreshed when due)
     *     only for a token the cache knows
     */
    private AccessToken remembered(PresentedToken presented) {
        VerifiedTokenCache.Entry entry = verified.lookup(presented.sha256());
        if (entry == null) {
            return null;
        }
        return verified.stillValid(presented.sha256(), entry, keys.current(), clock.instant()) ? entry.token() : null;
    }

    /** @return how many verified tokens are remembered now, for tests */
    int cachedTokens() {
        return verified.size();
    }

    private static CompactJws parse(String token) throws DPoPException {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 4) {
            throw invalid("encrypted access tokens are not supported");
        }
        try {
            return CompactJws.parse(token, JsonLimits.JOSE);
        } catch (JoseFormatException e) {
            throw invalid("access token is not a signed JWT: " + e.getMessage());
        }
    }

    /** RFC 9068 §4: {@code typ} and an asymmetric, allow-listed {@code alg}; no extensions. */
    private JwsAlgorithm checkHeader(CompactJws jws) throws DPoPException {
        Object alg = jws.header().get("alg");
        if (!(alg instanceof String)) {
            throw invalid("access token has no alg");
        }
        JwsAlgorithm algorithm = JwsAlgorithm.named((String) alg).filter(algorithms::contains)
                .orElseThrow(() -> invalid("access token alg is not allowed"));
        if (!acceptedTyp(jws.header().get("typ"))) {
            throw invalid("access token typ is not at+jwt");
        }
        if (jws.header().containsKey("crit") || jws.header().containsKey("b64")) {
            throw invalid("access token uses unsupported JWS extensions");
        }
        return algorithm;
    }

    private boolean acceptedTyp(Object typ) {
        if (typ == null) {
            return acceptPlainJwt;
        }
        if (!(typ instanceof String)) {
            return false;
        }
        return isAtJwt(typ) || (acceptPlainJwt && (((String) typ).equalsIgnoreCase("jwt")
                || ((String) typ).equalsIgnoreCase("application/jwt")));
    }

    private static boolean isAtJwt(Object typ) {
        return typ instanceof String && (((String) typ).equalsIgnoreCase("at+jwt")
                || ((String) typ).equalsIgnoreCase("application/at+jwt"));
    }

    /**
     * The {@code iat} the token claims, unverified: it only chooses between 401 and 503 for a token
     * whose key is unknown, and a changed {@code iat} breaks the signature of a genuine token anyway.
     */
    private static Instant unverifiedIssuedAt(CompactJws jws) {
        try {
            return Json.numericDate(jws.claims(), "iat").orElse(null);
        } catch (Json.MalformedException e) {
            return null;
        }
    }

    private static String keyId(CompactJws jws) throws DPoPException {
        Object kid = jws.header().get("kid");
        if (kid != null && !(kid instanceof String)) {
            throw invalid("access token kid is malformed");
        }
        return (String) kid;
    }

    /** @return the key that verified the signature */
    private JwksSource.VerificationKey verify(PresentedToken token, CompactJws jws, JwsAlgorithm alg,
                        List<JwksSource.VerificationKey> candidates) throws DPoPException {
        for (JwksSource.VerificationKey candidate : candidates) {
            if (signatures.verify(alg, candidate.jwk(), jws)) {
                return candidate;
            }
        }
        throw rejected(token, "access token signature is invalid");
    }

    /**
     * RFC 9068 §2.2, §4 and RFC 7519 §4.1: issuer, audience, time and profile claims, then the values we
     * expose, with the interval in which they stay valid for the {@linkplain VerifiedTokenCache cache}.
     */
    private VerifiedTokenCache.Entry readClaims(PresentedToken token, CompactJws jws, JwksSource.VerificationKey key,
                                                Instant now) throws DPoPException {
        Map<String, Object> claims = jws.claims();
        try {
            if (!issuer.equals(Json.string(claims, "iss").orElse(null))) {
                throw rejected(token, "access token issuer is not accepted");
            }
            List<String> aud = Json.stringOrStrings(claims, "aud").orElse(List.of());
            if (aud.stream().noneMatch(audiences::contains)) {
                throw rejected(token, "access token audience is not accepted");
            }
            Instant exp = Json.numericDate(claims, "exp").orElseThrow(() -> invalid("access token has no exp"));
            if (!now.isBefore(exp.plus(clockSkew))) {
                throw rejected(token, "access token has expired");
            }
            Optional<Instant> nbf = Json.numericDate(claims, "nbf");
            if (nbf.isPresent() && nbf.get().minus(clockSkew).isAfter(now)) {
                throw rejected(token, "access token is not yet valid");
            }
            Optional<Instant> iat = Json.numericDate(claims, "iat");
            if (iat.isPresent() && iat.get().minus(clockSkew).isAfter(now)) {
                throw rejected(token, "access token is issued in the future");
            }
            if (isAtJwt(jws.header().get("typ")) && (iat.isEmpty() || Json.string(claims, "sub").isEmpty()
                    || Json.string(claims, "client_id").isEmpty() || Json.string(claims, "jti").isEmpty())) {
                throw rejected(token, "access token lacks sub, client_id, iat or jti (RFC 9068 §2.2)");
            }
            AccessToken.Builder result = AccessToken.builder()
                    .subject(Json.string(claims, "sub").orElse(null))
                    .clientId(Json.string(claims, "client_id").orElse(null))
                    .expiresAt(exp)
                    .jkt(Json.jkt(claims).orElse(null));
            Optional<String> scope = Json.string(claims, "scope");
            if (scope.isPresent()) {
                result.scope(scope.get());
            } else {
                Json.stringOrStrings(claims, "scp").ifPresent(result::scopes);
            }
            Instant notBefore = Instant.MIN;
            if (nbf.isPresent()) {
                notBefore = nbf.get().minus(clockSkew);
            }
            if (iat.isPresent() && iat.get().minus(clockSkew).isAfter(notBefore)) {
                notBefore = iat.get().minus(clockSkew);
            }
            return new VerifiedTokenCache.Entry(result.claims(Json.immutableCopy(claims)).build(), key, notBefore,
                    exp.plus(clockSkew));
        } catch (Json.MalformedException e) {
            throw rejected(token, "access token claims are malformed: " + e.getMessage());
        }
    }

    private DPoPException unavailable(JwksSource.State state) {
        return DPoPException.unavailable(Check.ACCESS_TOKEN, "the access token issuer keys are unavailable",
                retryAfter, state.lastFailure());
    }

    private static DPoPException invalid(String description) {
        return DPoPException.invalidToken(Check.ACCESS_TOKEN, description);
    }

    private static DPoPException rejected(PresentedToken token, String description) {
        LOG.log(System.Logger.Level.DEBUG, () -> "rejected access token " + token.hashPrefix() + ": " + description);
        return invalid(description);
    }
}
