package org.dpopj.core.token;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.spi.AccessTokenResolver;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * Validates JWT access tokens (RFC 9068) against the issuer's JSON Web Key Set and returns their
 * claims, including the DPoP key binding {@code cnf.jkt} (RFC 9449 §6.1).
 *
 * <p>A token is accepted only if it is a JWS (RFC 7515) with an allow-listed asymmetric {@code alg}
 * (HMAC and {@code none} can never be allowed), {@code typ} {@code at+jwt} (RFC 9068 §2.1; plain
 * JWTs only where {@link Builder#acceptPlainJwt(boolean) configured}), a signature that verifies with
 * a public signing key of the issuer's JWKS, {@code iss} equal to the configured issuer,
 * {@code aud} containing a configured audience, an {@code exp} in the future, and {@code nbf} and
 * {@code iat} not in the future, all with the same clock skew (RFC 9068 §4, RFC 7519 §4.1).
 *
 * <p>Keys come from {@code jwksUri}, or from the {@code jwks_uri} of the issuer's metadata
 * (RFC 8414 §3, then OpenID Connect Discovery), discovered on first use so that a resource server can
 * start before its issuer. The key set is cached for the {@linkplain Builder#jwksCacheLifetime cache
 * lifetime} and fetched again, on the calling thread, when it is older or when a token names an
 * unknown {@code kid} (key rotation). Fetches are coalesced (at most one in flight) and at most one is
 * attempted per {@linkplain Builder#jwksRefreshInterval refresh interval}, so a flood of tokens with
 * made-up key ids cannot hammer the issuer. When a fetch fails, the last good key set keeps being
 * used; when there is none, {@link #resolve} answers {@code 503} ({@link
 * org.dpopj.core.DPoPError#TEMPORARILY_UNAVAILABLE}).
 *
 * <pre>{@code
 * AccessTokenResolver tokens = JwtAccessTokenResolver.builder()
 *         .issuer("https://as.example.com")
 *         .audience("https://api.example.com")
 *         .clock(Clock.systemUTC())
 *         .build();                       // jwks_uri discovered from the issuer on first use
 * AccessToken token = tokens.resolve(tokenFromHeader, AuthScheme.DPOP);
 * }</pre>
 *
 * <p>Immutable configuration, thread-safe, starts no threads of its own (the JDK {@link HttpClient}
 * manages its own). Builder arguments must not be {@code null}.
 */
public final class JwtAccessTokenResolver implements AccessTokenResolver {

    /** The asymmetric JWS algorithms accepted by default (RFC 7518 §3.1, RFC 8037 §3.1). */
    public static final List<String> DEFAULT_ALGORITHMS = List.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
    /** Default allowance for clock differences with the issuer, the same as for proofs. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(10);
    /** Default lifetime of a fetched key set. */
    public static final Duration DEFAULT_JWKS_CACHE_LIFETIME = Duration.ofMinutes(10);
    /** Default minimum interval between two fetch attempts of the key set. */
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** Default deadline of every outbound call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@code Retry-After} when the issuer's keys are unavailable. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(JwtAccessTokenResolver.class.getName());

    private final String issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private final Duration clockSkew;
    private final Set<String> algorithms;
    private final boolean acceptPlainJwt;
    private final Duration jwksCacheLifetime;
    private final Duration jwksRefreshInterval;
    private final Duration retryAfter;
    private final IssuerHttp http;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile KeyState keyState;

    private JwtAccessTokenResolver(Builder builder) {
        this.issuer = builder.issuer;
        this.audiences = Set.copyOf(builder.audiences);
        this.clock = builder.clock;
        this.clockSkew = builder.clockSkew;
        this.algorithms = Set.copyOf(builder.algorithms);
        this.acceptPlainJwt = builder.acceptPlainJwt;
        this.jwksCacheLifetime = builder.jwksCacheLifetime;
        this.jwksRefreshInterval = builder.jwksRefreshInterval;
        this.retryAfter = builder.retryAfter;
        this.http = new IssuerHttp(
                builder.httpClient != null ? builder.httpClient : IssuerHttp.defaultClient(builder.timeout),
                builder.timeout);
        this.keyState = new KeyState(builder.jwksUri, null, null, null, null);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
        if (token == null || token.isEmpty()) {
            throw invalid("access token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("access token is too large");
        }
        JsonWebSignature jws = parse(token);
        String alg = checkHeader(jws);
        String kid = keyId(jws);

        Instant now = clock.instant();
        KeyState state = currentKeys(now);
        List<VerificationKey> candidates = state.keys.select(kid, alg);
        if (candidates.isEmpty() && kid != null && !state.keys.hasKid(kid)) {
            state = fetchIfAllowed(state);
            if (state.keys.hasKid(kid)) {
                candidates = state.keys.select(kid, alg);
            } else if (state.lastFailure != null) {
                // the issuer cannot be asked whether this is a freshly rotated key
                throw unavailable(state);
            } else {
                throw rejected(token, "access token is signed with an unknown key");
            }
        }
        if (candidates.isEmpty()) {
            throw rejected(token, "no suitable issuer key for the access token");
        }
        String payload = verify(token, candidates);
        return readClaims(token, payload, now);
    }

    private JsonWebSignature parse(String token) throws DPoPException {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 4) {
            throw invalid("encrypted access tokens are not supported");
        }
        if (dots != 2) {
            throw invalid("access token is not a signed JWT");
        }
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature)) {
                throw invalid("access token is not a signed JWT");
            }
            return (JsonWebSignature) structure;
        } catch (JoseException | RuntimeException e) {
            throw invalid("access token is malformed");
        }
    }

    /** RFC 9068 §4: {@code typ} and an asymmetric, allow-listed {@code alg}; no extensions. */
    private String checkHeader(JsonWebSignature jws) throws DPoPException {
        Object alg = jws.getObjectHeader("alg");
        if (!(alg instanceof String)) {
            throw invalid("access token has no alg");
        }
        if (!algorithms.contains(alg)) {
            throw invalid("access token alg is not allowed");
        }
        Object typ = jws.getObjectHeader("typ");
        if (!acceptedTyp(typ)) {
            throw invalid("access token typ is not at+jwt");
        }
        if (jws.getObjectHeader("crit") != null || jws.getObjectHeader("b64") != null) {
            throw invalid("access token uses unsupported JWS extensions");
        }
        return (String) alg;
    }

    private boolean acceptedTyp(Object typ) {
        if (typ == null) {
            return acceptPlainJwt;
        }
        if (!(typ instanceof String)) {
            return false;
        }
        String value = ((String) typ).toLowerCase(Locale.ROOT);
        if (value.equals("at+jwt") || value.equals("application/at+jwt")) {
            return true;
        }
        return acceptPlainJwt && (value.equals("jwt") || value.equals("application/jwt"));
    }

    private static String keyId(JsonWebSignature jws) throws DPoPException {
        Object kid = jws.getObjectHeader("kid");
        if (kid != null && !(kid instanceof String)) {
            throw invalid("access token kid is malformed");
        }
        return (String) kid;
    }

    private String verify(String token, List<VerificationKey> candidates) throws DPoPException {
        for (VerificationKey candidate : candidates) {
            try {
                JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(token);
                jws.setAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, algorithms.toArray(new String[0])));
                jws.setKey(candidate.publicKey());
                if (jws.verifySignature()) {
                    return jws.getUnverifiedPayload();
                }
            } catch (JoseException | RuntimeException e) {
                // a key that does not fit the algorithm, or a signature of the wrong length: try the next
            }
        }
        throw rejected(token, "access token signature is invalid");
    }

    /** RFC 9068 §4 and RFC 7519 §4.1: issuer, audience and time claims, then the values we expose. */
    private AccessToken readClaims(String token, String payload, Instant now) throws DPoPException {
        try {
            Map<String, Object> claims = Json.parseObject(payload);
            if (!issuer.equals(Json.string(claims, "iss").orElse(null))) {
                throw rejected(token, "access token issuer is not accepted");
            }
            List<String> aud = Json.stringOrStrings(claims, "aud").orElse(List.of());
            if (aud.stream().noneMatch(audiences::contains)) {
                throw rejected(token, "access token audience is not accepted");
            }
            Instant exp = Json.numericDate(claims, "exp")
                    .orElseThrow(() -> invalid("access token has no exp"));
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
            return result.claims(Json.immutableCopy(claims)).build();
        } catch (Json.MalformedException e) {
            throw rejected(token, "access token claims are malformed: " + e.getMessage());
        }
    }

    private KeyState currentKeys(Instant now) throws DPoPException {
        KeyState state = keyState;
        if (state.keys == null || !now.isBefore(state.fetchedAt.plus(jwksCacheLifetime))) {
            state = fetchIfAllowed(state);
        }
        if (state.keys == null) {
            throw unavailable(state);
        }
        return state;
    }

    /**
     * Fetches the key set unless another thread did so since {@code seen} was read, or the last
     * attempt is more recent than the refresh interval. Never throws: a failure is recorded in the
     * returned state, which keeps the last good keys.
     */
    private KeyState fetchIfAllowed(KeyState seen) {
        if (!seen.attemptAllowed(clock.instant(), jwksRefreshInterval)) {
            return seen;
        }
        try {
            fetchLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return keyState;
        }
        try {
            KeyState current = keyState;
            Instant attemptAt = clock.instant();
            if (current != seen || !current.attemptAllowed(attemptAt, jwksRefreshInterval)) {
                return current;
            }
            URI jwksUri = current.jwksUri;
            KeyState next;
            try {
                if (jwksUri == null) {
                    jwksUri = discoverJwksUri();
                }
                KeySet keys = fetchKeys(jwksUri);
                next = new KeyState(jwksUri, keys, attemptAt, attemptAt, null);
                LOG.log(Level.DEBUG, "fetched {0} signing keys from {1}", keys.size(), IssuerHttp.redact(jwksUri));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not fetch the signing keys of issuer {0}: {1}{2}", issuer,
                        IssuerHttp.describe(e), current.keys == null ? "" : "; keeping the keys fetched at " + current.fetchedAt);
                next = new KeyState(jwksUri, current.keys, current.fetchedAt, attemptAt, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                IOException failure = new IOException("interrupted while fetching issuer keys", e);
                next = new KeyState(jwksUri, current.keys, current.fetchedAt, attemptAt, failure);
            }
            keyState = next;
            return next;
        } finally {
            fetchLock.unlock();
        }
    }

    /** RFC 8414 §3 (well-known URI inserted before the issuer's path), then OpenID Connect Discovery §4. */
    private URI discoverJwksUri() throws IOException, InterruptedException {
        URI issuerUri = URI.create(issuer);
        String path = issuerUri.getRawPath() == null ? "" : issuerUri.getRawPath();
        String trimmedPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String origin = issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
        List<URI> candidates = List.of(
                URI.create(origin + "/.well-known/oauth-authorization-server" + trimmedPath),
                URI.create(origin + trimmedPath + "/.well-known/openid-configuration"));
        for (URI metadataUri : candidates) {
            IssuerHttp.Response response = http.get(metadataUri);
            if (response.status() != 200) {
                continue;
            }
            Map<String, Object> metadata;
            try {
                if (!response.isJson()) {
                    throw new Json.MalformedException("not JSON");
                }
                metadata = Json.parseObject(response.body());
                // RFC 8414 §3.3: the metadata must name exactly the issuer it was fetched for
                if (!issuer.equals(Json.string(metadata, "issuer").orElse(null))) {
                    throw new IOException("metadata at " + IssuerHttp.redact(metadataUri)
                            + " names a different issuer");
                }
                String jwksUri = Json.string(metadata, "jwks_uri")
                        .orElseThrow(() -> new Json.MalformedException("jwks_uri is missing"));
                return httpUri(jwksUri);
            } catch (Json.MalformedException e) {
                throw new IOException("metadata at " + IssuerHttp.redact(metadataUri) + " is malformed: "
                        + e.getMessage());
            }
        }
        throw new IOException("no authorization server metadata found for the issuer");
    }

    private static URI httpUri(String value) throws Json.MalformedException {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new Json.MalformedException("jwks_uri is not an absolute http or https URI");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Json.MalformedException("jwks_uri is not a URI");
        }
    }

    private KeySet fetchKeys(URI jwksUri) throws IOException, InterruptedException {
        IssuerHttp.Response response = http.get(jwksUri);
        if (response.status() != 200) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " answered " + response.status());
        }
        if (!response.isJson()) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " is not JSON");
        }
        KeySet keys;
        try {
            keys = KeySet.parse(Json.parseObject(response.body()));
        } catch (Json.MalformedException e) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " is malformed: " + e.getMessage());
        }
        if (keys.size() == 0) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " has no usable signing key");
        }
        return keys;
    }

    private DPoPException unavailable(KeyState state) {
        return DPoPException.unavailable(Check.ACCESS_TOKEN, "the access token issuer keys are unavailable",
                retryAfter, state.lastFailure);
    }

    private static DPoPException invalid(String description) {
        return DPoPException.invalidToken(Check.ACCESS_TOKEN, description);
    }

    private static DPoPException rejected(String token, String description) {
        LOG.log(Level.DEBUG, () -> "rejected access token " + TokenHashes.hashPrefix(token) + ": " + description);
        return invalid(description);
    }

    /** What is known about the issuer's keys; replaced as a whole, never modified. */
    private static final class KeyState {
        final URI jwksUri;
        final KeySet keys;
        final Instant fetchedAt;
        final Instant lastAttempt;
        final Exception lastFailure;

        KeyState(URI jwksUri, KeySet keys, Instant fetchedAt, Instant lastAttempt, Exception lastFailure) {
            this.jwksUri = jwksUri;
            this.keys = keys;
            this.fetchedAt = fetchedAt;
            this.lastAttempt = lastAttempt;
            this.lastFailure = lastFailure;
        }

        boolean attemptAllowed(Instant now, Duration interval) {
            return lastAttempt == null || !now.isBefore(lastAttempt.plus(interval));
        }
    }

    /** A public signing key of the issuer's JWKS. */
    private record VerificationKey(String kid, String kty, String crv, String alg, PublicKey publicKey) {

        /** RFC 7518 §3.1 and RFC 8037 §3.1: which key types an algorithm may be verified with. */
        boolean suits(String tokenAlg) {
            if (alg != null && !alg.equals(tokenAlg)) {
                return false;
            }
            switch (tokenAlg) {
                case "RS256": case "RS384": case "RS512": case "PS256": case "PS384": case "PS512":
                    return kty.equals("RSA");
                case "ES256":
                    return kty.equals("EC") && "P-256".equals(crv);
                case "ES384":
                    return kty.equals("EC") && "P-384".equals(crv);
                case "ES512":
                    return kty.equals("EC") && "P-521".equals(crv);
                case "EdDSA":
                    return kty.equals("OKP") && ("Ed25519".equals(crv) || "Ed448".equals(crv));
                default:
                    return false;
            }
        }
    }

    /** The public signing keys of a JWKS (RFC 7517 §5); encryption and symmetric keys are left out. */
    private static final class KeySet {
        private final List<VerificationKey> keys;

        private KeySet(List<VerificationKey> keys) {
            this.keys = List.copyOf(keys);
        }

        static KeySet parse(Map<String, Object> jwks) throws Json.MalformedException {
            Object members = jwks.get("keys");
            if (!(members instanceof List)) {
                throw new Json.MalformedException("keys is not an array");
            }
            List<VerificationKey> keys = new ArrayList<>();
            for (Object member : (List<?>) members) {
                if (member instanceof Map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> jwk = (Map<String, Object>) member;
                    toVerificationKey(jwk).ifPresent(keys::add);
                }
            }
            return new KeySet(keys);
        }

        private static Optional<VerificationKey> toVerificationKey(Map<String, Object> jwk) {
            Object kty = jwk.get("kty");
            // "oct" keys are never used, whatever a token's header says (RFC 8725 §3.1)
            if (!("RSA".equals(kty) || "EC".equals(kty) || "OKP".equals(kty))) {
                return Optional.empty();
            }
            Object use = jwk.get("use");
            if (use != null && !"sig".equals(use)) {
                return Optional.empty();
            }
            Object keyOps = jwk.get("key_ops");
            if (keyOps != null && !(keyOps instanceof List && ((List<?>) keyOps).contains("verify"))) {
                return Optional.empty();
            }
            Object kid = jwk.get("kid");
            Object crv = jwk.get("crv");
            Object alg = jwk.get("alg");
            if ((kid != null && !(kid instanceof String)) || (crv != null && !(crv instanceof String))
                    || (alg != null && !(alg instanceof String))) {
                return Optional.empty();
            }
            try {
                JsonWebKey parsed = JsonWebKey.Factory.newJwk(Map.copyOf(withoutNulls(jwk)));
                if (!(parsed instanceof PublicJsonWebKey) || ((PublicJsonWebKey) parsed).getPublicKey() == null) {
                    return Optional.empty();
                }
                return Optional.of(new VerificationKey((String) kid, (String) kty, (String) crv, (String) alg,
                        ((PublicJsonWebKey) parsed).getPublicKey()));
            } catch (JoseException | RuntimeException e) {
                LOG.log(Level.DEBUG, "ignoring a JWKS key that cannot be parsed");
                return Optional.empty();
            }
        }

        private static Map<String, Object> withoutNulls(Map<String, Object> jwk) {
            Map<String, Object> copy = new java.util.HashMap<>();
            jwk.forEach((name, value) -> {
                if (name != null && value != null) {
                    copy.put(name, value);
                }
            });
            return copy;
        }

        int size() {
            return keys.size();
        }

        boolean hasKid(String kid) {
            return keys.stream().anyMatch(key -> kid.equals(key.kid()));
        }

        /** Keys with the token's {@code kid} that suit its alg; without a kid, the only suitable key. */
        List<VerificationKey> select(String kid, String alg) {
            if (kid != null) {
                return keys.stream().filter(key -> kid.equals(key.kid()) && key.suits(alg)).toList();
            }
            List<VerificationKey> suitable = keys.stream().filter(key -> key.suits(alg)).toList();
            return suitable.size() == 1 ? suitable : List.of();
        }
    }

    /**
     * Builds a {@link JwtAccessTokenResolver}. {@link #issuer} and at least one {@link #audience} are
     * required. Not thread-safe.
     */
    public static final class Builder {
        private URI jwksUri;
        private String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Set<String> algorithms = new LinkedHashSet<>(DEFAULT_ALGORITHMS);
        private boolean acceptPlainJwt;
        private Duration jwksCacheLifetime = DEFAULT_JWKS_CACHE_LIFETIME;
        private Duration jwksRefreshInterval = DEFAULT_JWKS_REFRESH_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private HttpClient httpClient;

        private Builder() {
        }

        /**
         * @param jwksUri where the issuer publishes its keys; when not set, it is discovered from the
         *     {@link #issuer} metadata on first use
         */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = requireHttpUri(jwksUri, "jwksUri");
            return this;
        }

        /** @param issuer the exact {@code iss} value accepted (RFC 9068 §4) */
        public Builder issuer(String issuer) {
            if (Objects.requireNonNull(issuer, "issuer").isBlank()) {
                throw new IllegalArgumentException("issuer must not be blank");
            }
            this.issuer = issuer;
            return this;
        }

        /** @param audiences {@code aud} values accepted; a token must name at least one (RFC 9068 §4) */
        public Builder audience(String... audiences) {
            return audiences(List.of(audiences));
        }

        /** @param audiences {@code aud} values accepted; adds to those set before */
        public Builder audiences(Collection<String> audiences) {
            for (String audience : audiences) {
                if (Objects.requireNonNull(audience, "audience").isBlank()) {
                    throw new IllegalArgumentException("audience must not be blank");
                }
                this.audiences.add(audience);
            }
            return this;
        }

        /** @param clock the clock for {@code exp}, {@code nbf}, {@code iat} and the key cache */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param clockSkew allowance for clock differences with the issuer (default 10 s) */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = requireNonNegative(clockSkew, "clockSkew");
            return this;
        }

        /**
         * @param algorithms the JWS algorithms accepted; only RS, PS, ES and EdDSA algorithms
         * @throws IllegalArgumentException for an empty list, HMAC, {@code none} or an unknown name
         */
        public Builder algorithms(Collection<String> algorithms) {
            Set<String> accepted = new LinkedHashSet<>();
            for (String algorithm : algorithms) {
                if (!DEFAULT_ALGORITHMS.contains(Objects.requireNonNull(algorithm, "algorithm"))) {
                    throw new IllegalArgumentException("not an asymmetric JWS algorithm: " + algorithm);
                }
                accepted.add(algorithm);
            }
            if (accepted.isEmpty()) {
                throw new IllegalArgumentException("at least one algorithm is required");
            }
            this.algorithms = accepted;
            return this;
        }

        /** @see #algorithms(Collection) */
        public Builder algorithms(String... algorithms) {
            return algorithms(List.of(algorithms));
        }

        /**
         * @param acceptPlainJwt also accept tokens without {@code typ} or with {@code typ} {@code JWT}
         *     (default false: only {@code at+jwt}, RFC 9068 §2.1)
         */
        public Builder acceptPlainJwt(boolean acceptPlainJwt) {
            this.acceptPlainJwt = acceptPlainJwt;
            return this;
        }

        /** @param lifetime how long a fetched key set is used before it is fetched again (default 10 min) */
        public Builder jwksCacheLifetime(Duration lifetime) {
            this.jwksCacheLifetime = requirePositive(lifetime, "jwksCacheLifetime");
            return this;
        }

        /**
         * @param interval the minimum time between two fetch attempts, in particular those triggered by
         *     an unknown {@code kid} (default 30 s)
         */
        public Builder jwksRefreshInterval(Duration interval) {
            this.jwksRefreshInterval = requireNonNegative(interval, "jwksRefreshInterval");
            return this;
        }

        /** @param timeout deadline of every call to the issuer, connect to last byte (default 5 s) */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout");
            return this;
        }

        /** @param retryAfter the {@code Retry-After} advertised when no keys are available (default 10 s) */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = requireNonNegative(retryAfter, "retryAfter");
            return this;
        }

        /**
         * @param httpClient the client for issuer calls; by default one with the connect timeout that
         *     does not follow redirects (same-origin redirects are followed by the resolver itself)
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * @return the resolver; no network call is made here
         * @throws IllegalStateException when issuer or audience is missing, or the issuer is needed for
         *     discovery and is not an http or https URI
         */
        public JwtAccessTokenResolver build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required");
            }
            if (audiences.isEmpty()) {
                throw new IllegalStateException("at least one audience is required");
            }
            if (jwksUri == null) {
                try {
                    URI issuerUri = requireHttpUri(new URI(issuer), "issuer");
                    if (issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
                        throw new IllegalStateException("issuer must not have a query or fragment (RFC 8414 §2)");
                    }
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("issuer must be an http or https URI to discover its keys", e);
                }
            }
            return new JwtAccessTokenResolver(this);
        }

        static URI requireHttpUri(URI uri, String name) {
            Objects.requireNonNull(uri, name);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException(name + " must be an absolute http or https URI");
            }
            return uri;
        }

        static Duration requirePositive(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        static Duration requireNonNegative(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}
