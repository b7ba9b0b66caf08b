package org.dpopj.core.token;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.jose.PublicJwk;

/**
 * An issuer's public signing keys (RFC 7517 §5), fetched from its {@code jwks_uri}, or from the one
 * its metadata names (RFC 8414 §3, then OpenID Connect Discovery), on first use. The key set is kept
 * for the cache lifetime and fetched again on the calling thread when older, or when a token names an
 * unknown {@code kid}. Fetches are coalesced (at most one in flight; callers that arrive meanwhile wait
 * for it and use its result), one for an unknown {@code kid} is started at most once per refresh
 * interval after a successful one, and a failed one is retried after 1 s, doubling up to the refresh
 * interval ({@link IssuerAvailability}).
 * When a fetch fails, the last good key set is used for at most the staleness bound past its lifetime.
 * A key removed from the JWKS is therefore still accepted until the next successful fetch: at most the
 * cache lifetime while the issuer answers, at most lifetime plus staleness bound while it does not.
 * Thread-safe; starts no threads.
 */
final class JwksSource {

    private static final System.Logger LOG = System.getLogger(JwtAccessTokenResolver.class.getName());

    private final String issuer;
    private final IssuerHttp http;
    private final Clock clock;
    private final Duration cacheLifetime;
    private final Duration refreshInterval;
    private final Duration maxStaleness;
    private final KeyLimits keyLimits;
    /** Builds the issuer's keys, so that the provider checking tokens need not translate them per check. */
    private final java.security.Provider keyProvider;
    private final IssuerAvailability availability;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile State state;
    /** Fetches started so far; written under {@link #fetchLock}. */
    private volatile long fetchesStarted;

    JwksSource(String issuer, URI jwksUri, IssuerHttp http, Clock clock, Duration cacheLifetime,
               Duration refreshInterval, Duration maxStaleness, KeyLimits keyLimits, java.security.Provider keyProvider,
               org.dpopj.core.spi.IssuerCallListener callListener) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
        this.cacheLifetime = cacheLifetime;
        this.refreshInterval = refreshInterval;
        this.maxStaleness = maxStaleness;
        this.keyLimits = keyLimits;
        this.keyProvider = keyProvider;
        this.availability = new IssuerAvailability(LOG, "the JWKS of issuer " + issuer, refreshInterval,
                org.dpopj.core.spi.IssuerCallListener.Endpoint.JWKS, callListener);
        this.state = new State(jwksUri, null, null, 0, null);
    }

    /** A public signing key of the issuer, with the {@code kid} and {@code alg} its JWK names. */
    record VerificationKey(String kid, String alg, PublicJwk jwk) {

        /** RFC 7518 §3.1, RFC 8037 §3.1: the key's type and curve suit the algorithm, and its alg, if any, is it. */
        boolean suits(JwsAlgorithm algorithm) {
            return (alg == null || alg.equals(algorithm.name())) && algorithm.fits(jwk);
        }
    }

    /**
     * What is known about the issuer's keys; replaced as a whole, never modified.
     *
     * @param fetchedAt when the successful fetch of {@code keys} was started
     * @param fetchNumber which fetch (counted by {@link #fetchesStarted()}) gave {@code keys}
     * @param lastFailure the failure of the latest fetch, {@code null} when it succeeded
     */
    record State(URI jwksUri, List<VerificationKey> keys, Instant fetchedAt, long fetchNumber, Exception lastFailure) {

        boolean hasKid(String kid) {
            return keys.stream().anyMatch(key -> kid.equals(key.kid()));
        }

        /**
         * Whether these keys were fetched after a token was issued, so that a {@code kid} they lack is
         * not one the issuer had published when it signed the token: the fetch started after the request
         * carrying the token arrived ({@code arrival}, as {@link #fetchesStarted()} read then), or at or
         * after the token's {@code iat} plus the clock skew.
         */
        boolean fetchedAfterIssue(long arrival, Instant issuedAt, Duration clockSkew) {
            return keys != null && (fetchNumber > arrival
                    || (issuedAt != null && !fetchedAt.isBefore(issuedAt.plus(clockSkew))));
        }

        /** Keys with the token's {@code kid} that suit its alg; without a kid, the only suitable key. */
        List<VerificationKey> select(String kid, JwsAlgorithm alg) {
            if (kid != null) {
                return keys.stream().filter(key -> kid.equals(key.kid()) && key.suits(alg)).toList();
            }
            List<VerificationKey> suitable = keys.stream().filter(key -> key.suits(alg)).toList();
            return suitable.size() == 1 ? suitable : List.of();
        }
    }

    /** @return how many fetches were started so far; read when a request arrives, for {@link State#fetchedAfterIssue} */
    long fetchesStarted() {
        return fetchesStarted;
    }

    /**
     * @return the current keys, fetched first when none are known or they are past their lifetime;
     *     {@link State#keys()} is {@code null} when none are usable (never fetched, or stale beyond the bound)
     */
    State current() {
        Instant now = clock.instant();
        State current = state;
        if (current.keys == null || !now.isBefore(current.fetchedAt.plus(cacheLifetime))) {
            current = fetchIfAllowed(current, false);
        }
        if (current.keys != null && current.lastFailure != null
                && !now.isBefore(current.fetchedAt.plus(cacheLifetime).plus(maxStaleness))) {
            return new State(current.jwksUri, null, current.fetchedAt, current.fetchNumber, current.lastFailure);
        }
        return current;
    }

    /**
     * Fetches again because a token names a {@code kid} that {@code seen} does not have, unless the
     * last successful fetch is more recent than the refresh interval: random {@code kid}s cannot make
     * us call the issuer more often than that.
     */
    State refreshForUnknownKid(State seen) {
        return fetchIfAllowed(seen, true);
    }

    /**
     * Fetches the key set unless another thread did so since {@code seen} was read (then its result is
     * returned, after waiting for it if it is in flight), or the rate limit for unknown kids or {@link
     * IssuerAvailability}'s back-off says to wait. Never throws: a failure is recorded in the returned
     * state, which keeps the last good keys.
     */
    private State fetchIfAllowed(State seen, boolean unknownKid) {
        if (unknownKid && seen.fetchedAt != null && clock.instant().isBefore(seen.fetchedAt.plus(refreshInterval))) {
            return seen;
        }
        if (!availability.attemptAllowed(clock.instant())) {
            return seen;
        }
        try {
            fetchLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return state;
        }
        try {
            State current = state;
            Instant attemptAt = clock.instant();
            if (current != seen || !availability.claimAttempt(attemptAt)) {
                return current;
            }
            long fetchNumber = fetchesStarted + 1;
            fetchesStarted = fetchNumber;
            URI jwksUri = current.jwksUri;
            State next;
            try {
                if (jwksUri == null) {
                    jwksUri = discoverJwksUri();
                }
                List<VerificationKey> keys = fetchKeys(jwksUri);
                next = new State(jwksUri, keys, attemptAt, fetchNumber, null);
                availability.succeeded(clock.instant());
                LOG.log(Level.DEBUG, "fetched {0} signing keys from {1}", keys.size(), IssuerHttp.redact(jwksUri));
            } catch (IOException e) {
                availability.failed(attemptAt, IssuerAvailability.describe(e)
                        + (current.keys == null ? "" : "; keeping the keys fetched at " + current.fetchedAt));
                next = new State(jwksUri, current.keys, current.fetchedAt, current.fetchNumber, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            state = next;
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
            try {
                if (!response.isJson()) {
                    throw new Json.MalformedException("not JSON");
                }
                Map<String, Object> metadata = Json.parseObject(response.body());
                // RFC 8414 §3.3: the metadata must name exactly the issuer it was fetched for
                if (!issuer.equals(Json.string(metadata, "issuer").orElse(null))) {
                    throw new IOException("metadata at " + IssuerHttp.redact(metadataUri) + " names a different issuer");
                }
                return httpUri(Json.string(metadata, "jwks_uri")
                        .orElseThrow(() -> new Json.MalformedException("jwks_uri is missing")));
            } catch (Json.MalformedException e) {
                throw new IOException("metadata at " + IssuerHttp.redact(metadataUri) + " is malformed: " + e.getMessage());
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

    private List<VerificationKey> fetchKeys(URI jwksUri) throws IOException, InterruptedException {
        IssuerHttp.Response response = http.get(jwksUri);
        if (response.status() != 200) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " answered " + response.status());
        }
        if (!response.isJson()) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " is not JSON");
        }
        List<VerificationKey> keys;
        try {
            keys = parseKeys(Json.parseObject(response.body()));
        } catch (Json.MalformedException e) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " is malformed: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new IOException("JWKS at " + IssuerHttp.redact(jwksUri) + " has no usable signing key");
        }
        return keys;
    }

    /** RFC 7517 §5: the public signing keys; encryption, symmetric and private keys are left out. */
    private List<VerificationKey> parseKeys(Map<String, Object> jwks) throws Json.MalformedException {
        if (!(jwks.get("keys") instanceof List)) {
            throw new Json.MalformedException("keys is not an array");
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (Object member : (List<?>) jwks.get("keys")) {
            if (member instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> jwk = (Map<String, Object>) member;
                VerificationKey key = verificationKey(jwk);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        return List.copyOf(keys);
    }

    private VerificationKey verificationKey(Map<String, Object> jwk) {
        Object use = jwk.get("use");
        Object keyOps = jwk.get("key_ops");
        Object kid = jwk.get("kid");
        Object alg = jwk.get("alg");
        // "oct" keys are never used, whatever a token's header says (RFC 8725 §3.1)
        if ("oct".equals(jwk.get("kty")) || (use != null && !"sig".equals(use))
                || (keyOps != null && !(keyOps instanceof List && ((List<?>) keyOps).contains("verify")))
                || (kid != null && !(kid instanceof String)) || (alg != null && !(alg instanceof String))) {
            return null;
        }
        try {
            return new VerificationKey((String) kid, (String) alg, PublicJwk.parse(jwk, keyLimits, keyProvider));
        } catch (JoseFormatException e) {
            LOG.log(Level.DEBUG, "ignoring a JWKS key: {0}", e.getMessage());
            return null;
        }
    }
}
