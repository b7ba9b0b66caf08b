package org.dpopj.core.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.jose.CryptoProvider;
import org.dpopj.core.jose.JwsAlgorithm;

/**
 * Builds a {@link JwtAccessTokenResolver}. {@link #issuer} and at least one {@link #audience} are
 * required. Not thread-safe.
 */
public final class JwtAccessTokenResolverBuilder {
    URI jwksUri;
    String issuer;
    final Set<String> audiences = new LinkedHashSet<>();
    Clock clock = Clock.systemUTC();
    Duration clockSkew = JwtAccessTokenResolver.DEFAULT_CLOCK_SKEW;
    Set<String> algorithms = new LinkedHashSet<>(JwtAccessTokenResolver.DEFAULT_ALGORITHMS);
    boolean acceptPlainJwt;
    Duration jwksCacheLifetime = JwtAccessTokenResolver.DEFAULT_JWKS_CACHE_LIFETIME;
    Duration jwksRefreshInterval = JwtAccessTokenResolver.DEFAULT_JWKS_REFRESH_INTERVAL;
    Duration jwksMaxStaleness = JwtAccessTokenResolver.DEFAULT_JWKS_MAX_STALENESS;
    Duration timeout = JwtAccessTokenResolver.DEFAULT_TIMEOUT;
    Duration retryAfter = JwtAccessTokenResolver.DEFAULT_RETRY_AFTER;
    HttpClient httpClient;
    int tokenCacheMaxEntries = JwtAccessTokenResolver.DEFAULT_TOKEN_CACHE_MAX_ENTRIES;
    String cryptoProvider = CryptoProvider.AUTO;
    org.dpopj.core.spi.IssuerCallListener issuerCallListener;

    JwtAccessTokenResolverBuilder() {
    }

    /**
     * @param jwksUri where the issuer publishes its keys; when not set, it is discovered from the
     *     {@link #issuer} metadata on first use
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder jwksUri(URI jwksUri) {
        this.jwksUri = requireHttpUri(jwksUri, "jwksUri");
        return this;
    }

    /**
     * @param issuer the exact {@code iss} value accepted (RFC 9068 §4)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder issuer(String issuer) {
        if (Objects.requireNonNull(issuer, "issuer").isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        this.issuer = issuer;
        return this;
    }

    /**
     * @param audiences {@code aud} values accepted; a token must name at least one (RFC 9068 §4)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder audience(String... audiences) {
        return audiences(List.of(audiences));
    }

    /**
     * @param audiences {@code aud} values accepted; adds to those set before
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder audiences(Collection<String> audiences) {
        for (String audience : audiences) {
            if (Objects.requireNonNull(audience, "audience").isBlank()) {
                throw new IllegalArgumentException("audience must not be blank");
            }
            this.audiences.add(audience);
        }
        return this;
    }

    /**
     * @param clock the clock for {@code exp}, {@code nbf}, {@code iat} and the key cache
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param clockSkew allowance for clock differences with the issuer (default 10 s)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder clockSkew(Duration clockSkew) {
        this.clockSkew = requireNonNegative(clockSkew, "clockSkew");
        return this;
    }

    /**
     * @param algorithms the JWS algorithms accepted; only RS, PS, ES and EdDSA algorithms
     * @throws IllegalArgumentException for an empty list, HMAC, {@code none} or an unknown name
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder algorithms(Collection<String> algorithms) {
        Set<String> accepted = new LinkedHashSet<>();
        for (String algorithm : algorithms) {
            if (JwsAlgorithm.named(Objects.requireNonNull(algorithm, "algorithm")).isEmpty()) {
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

    /**
     * @param algorithms the JWS algorithms accepted
     * @return this builder
     * @see #algorithms(Collection)
     */
    public JwtAccessTokenResolverBuilder algorithms(String... algorithms) {
        return algorithms(List.of(algorithms));
    }

    /**
     * @param acceptPlainJwt also accept tokens without {@code typ} or with {@code typ} {@code JWT}
     *     (default false: only {@code at+jwt}, RFC 9068 §2.1)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder acceptPlainJwt(boolean acceptPlainJwt) {
        this.acceptPlainJwt = acceptPlainJwt;
        return this;
    }

    /**
     * @param lifetime how long a fetched key set is used before it is fetched again (default 10 min)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder jwksCacheLifetime(Duration lifetime) {
        this.jwksCacheLifetime = requirePositive(lifetime, "jwksCacheLifetime");
        return this;
    }

    /**
     * @param interval the minimum time between a successful fetch and the next one, in particular one
     *     triggered by an unknown {@code kid}, and the longest back-off between failed fetches
     *     (default 5 s, at least 1 s)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder jwksRefreshInterval(Duration interval) {
        if (requireNonNegative(interval, "jwksRefreshInterval").compareTo(JwtAccessTokenResolver.MIN_JWKS_REFRESH_INTERVAL) < 0) {
            throw new IllegalArgumentException("must be at least " + JwtAccessTokenResolver.MIN_JWKS_REFRESH_INTERVAL.toSeconds()
                    + "s, or every random kid would make a call to the issuer");
        }
        this.jwksRefreshInterval = interval;
        return this;
    }

    /**
     * @param staleness how long past its lifetime the last good key set is still used while the
     *     issuer cannot be reached; after that tokens get 503 (default 1 h)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder jwksMaxStaleness(Duration staleness) {
        this.jwksMaxStaleness = requireNonNegative(staleness, "jwksMaxStaleness");
        return this;
    }

    /**
     * @param timeout deadline of every call to the issuer, connect to last byte (default 5 s)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder timeout(Duration timeout) {
        this.timeout = requirePositive(timeout, "timeout");
        return this;
    }

    /**
     * @param retryAfter the {@code Retry-After} advertised when no keys are available (default 5 s)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder retryAfter(Duration retryAfter) {
        this.retryAfter = requireNonNegative(retryAfter, "retryAfter");
        return this;
    }

    /**
     * @param httpClient the client for issuer calls; by default one with the connect timeout that
     *     does not follow redirects (same-origin redirects are followed by the resolver itself)
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /**
     * @param maxEntries how many verified tokens are remembered by their hash until their {@code exp},
     *     so that a token presented again costs no signature check (default {@value
     *     JwtAccessTokenResolver#DEFAULT_TOKEN_CACHE_MAX_ENTRIES}); 0 verifies every request's token
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder tokenCacheMaxEntries(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("tokenCacheMaxEntries must not be negative");
        }
        this.tokenCacheMaxEntries = maxEntries;
        return this;
    }

    /**
     * @param provider which JCA provider checks the tokens' signatures: {@code auto} (default: Amazon
     *     Corretto Crypto Provider when it is on the class path and its native code loads, else the
     *     JDK's), {@code jdk}, {@code accp}, or the name of a provider registered with {@link
     *     java.security.Security}
     * @return this builder
     * @throws IllegalArgumentException for a blank value
     */
    public JwtAccessTokenResolverBuilder cryptoProvider(String provider) {
        this.cryptoProvider = CryptoProvider.checkName(provider);
        return this;
    }

    /**
     * Applies the settings of this resolver's own that {@code settings} holds: {@value
     * DPoPSettings#TOKEN_CACHE_MAX_ENTRIES} and {@value DPoPSettings#CRYPTO_PROVIDER}.
     *
     * @param settings the settings source
     * @return this builder
     * @throws DPoPConfigurationException naming an invalid key
     */
    public JwtAccessTokenResolverBuilder performanceSettings(DPoPSettings settings) {
        settings.string(DPoPSettings.TOKEN_CACHE_MAX_ENTRIES).ifPresent(value -> {
            try {
                tokenCacheMaxEntries(Integer.parseInt(value));
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(DPoPSettings.TOKEN_CACHE_MAX_ENTRIES,
                        "must be a non-negative integer", e);
            }
        });
        settings.string(DPoPSettings.CRYPTO_PROVIDER).ifPresent(value -> {
            try {
                cryptoProvider(value);
                CryptoProvider.resolve(cryptoProvider, null);
            } catch (IllegalArgumentException e) {
                throw new DPoPConfigurationException(DPoPSettings.CRYPTO_PROVIDER, e.getMessage(), e);
            }
        });
        return this;
    }

    /**
     * @param listener told of every JWKS fetch and whether it succeeded (for metrics); {@code null} for none
     * @return this builder
     */
    public JwtAccessTokenResolverBuilder issuerCallListener(org.dpopj.core.spi.IssuerCallListener listener) {
        this.issuerCallListener = listener;
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
