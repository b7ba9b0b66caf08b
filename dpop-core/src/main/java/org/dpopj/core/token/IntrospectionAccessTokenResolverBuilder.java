package org.dpopj.core.token;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an {@link IntrospectionAccessTokenResolver}. The introspection URI and the client
 * credentials are required. Not thread-safe.
 */
public final class IntrospectionAccessTokenResolverBuilder {
    URI introspectionUri;
    String clientId;
    String clientSecret;
    String issuer;
    final Set<String> audiences = new LinkedHashSet<>();
    Clock clock = Clock.systemUTC();
    Duration clockSkew = IntrospectionAccessTokenResolver.DEFAULT_CLOCK_SKEW;
    Duration timeout = IntrospectionAccessTokenResolver.DEFAULT_TIMEOUT;
    Duration cacheLifetime = IntrospectionAccessTokenResolver.DEFAULT_CACHE_LIFETIME;
    Duration inactiveCacheLifetime = IntrospectionAccessTokenResolver.DEFAULT_INACTIVE_CACHE_LIFETIME;
    int cacheMaxEntries = IntrospectionAccessTokenResolver.DEFAULT_CACHE_MAX_ENTRIES;
    Duration retryAfter = IntrospectionAccessTokenResolver.DEFAULT_RETRY_AFTER;
    HttpClient httpClient;
    org.dpopj.core.spi.IssuerCallListener issuerCallListener;

    IntrospectionAccessTokenResolverBuilder() {
    }

    /**
     * @param introspectionUri the RFC 7662 endpoint, an absolute http or https URI
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder introspectionUri(URI introspectionUri) {
        this.introspectionUri = JwtAccessTokenResolverBuilder.requireHttpUri(introspectionUri, "introspectionUri");
        return this;
    }

    /**
     * @param clientId the resource server's client id at the authorization server
     * @param clientSecret its secret; kept only inside the {@code Authorization} header value
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder clientCredentials(String clientId, String clientSecret) {
        if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (Objects.requireNonNull(clientSecret, "clientSecret").isEmpty()) {
            throw new IllegalArgumentException("clientSecret must not be empty");
        }
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        return this;
    }

    /**
     * @param issuer the {@code iss} an answer must carry when it carries one; unset, {@code iss} is
     *     not checked
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder issuer(String issuer) {
        this.issuer = requireNonBlank(issuer, "issuer");
        return this;
    }

    /**
     * @param audiences {@code aud} values accepted; an active answer must name one of them
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder audience(String... audiences) {
        return audiences(List.of(audiences));
    }

    /**
     * @param audiences {@code aud} values accepted, added to those set before; with none,
     *     {@code aud} is not checked
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder audiences(Collection<String> audiences) {
        audiences.forEach(audience -> this.audiences.add(requireNonBlank(audience, "audience")));
        return this;
    }

    private static String requireNonBlank(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * @param clock the clock for {@code exp} and the cache
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param clockSkew allowance for clock differences with the authorization server (default 10 s)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder clockSkew(Duration clockSkew) {
        this.clockSkew = JwtAccessTokenResolverBuilder.requireNonNegative(clockSkew, "clockSkew");
        return this;
    }

    /**
     * @param timeout deadline of every introspection call, connect to last byte (default 5 s)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder timeout(Duration timeout) {
        this.timeout = JwtAccessTokenResolverBuilder.requirePositive(timeout, "timeout");
        return this;
    }

    /**
     * @param lifetime longest time an active answer is cached, never beyond {@code exp} (default 60 s; zero disables)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder cacheLifetime(Duration lifetime) {
        this.cacheLifetime = JwtAccessTokenResolverBuilder.requireNonNegative(lifetime, "cacheLifetime");
        return this;
    }

    /**
     * @param lifetime time an inactive answer is cached (default 5 s; zero disables)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder inactiveCacheLifetime(Duration lifetime) {
        this.inactiveCacheLifetime = JwtAccessTokenResolverBuilder.requireNonNegative(lifetime,
                "inactiveCacheLifetime");
        return this;
    }

    /**
     * @param maxEntries the most answers cached at once (default 10,000)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder cacheMaxEntries(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("cacheMaxEntries must be positive");
        }
        this.cacheMaxEntries = maxEntries;
        return this;
    }

    /**
     * @param retryAfter the {@code Retry-After} advertised when the endpoint cannot answer (default 5 s)
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder retryAfter(Duration retryAfter) {
        this.retryAfter = JwtAccessTokenResolverBuilder.requireNonNegative(retryAfter, "retryAfter");
        return this;
    }

    /**
     * @param httpClient the client for introspection calls; by default one that follows no redirects
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /**
     * @param listener told of every introspection call and whether it succeeded (for metrics); {@code null} for none
     * @return this builder
     */
    public IntrospectionAccessTokenResolverBuilder issuerCallListener(org.dpopj.core.spi.IssuerCallListener listener) {
        this.issuerCallListener = listener;
        return this;
    }

    /**
     * @return the resolver; no network call is made here
     * @throws IllegalStateException when the URI or the client credentials are missing
     */
    public IntrospectionAccessTokenResolver build() {
        if (introspectionUri == null) {
            throw new IllegalStateException("introspectionUri is required");
        }
        if (clientId == null) {
            throw new IllegalStateException("client credentials are required");
        }
        return new IntrospectionAccessTokenResolver(this);
    }
}
