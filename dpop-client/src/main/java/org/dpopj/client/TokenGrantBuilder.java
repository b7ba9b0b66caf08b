package org.dpopj.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The options every DPoP grant at a token endpoint shares: how the client authenticates, what it
 * asks for ({@code scope}, RFC 8707 {@code resource}), when a cached token is refreshed, how long a
 * token request may take, and the clock that decides expiry. The grants' own builders
 * ({@link DPoPClientCredentials.Builder}, {@link DPoPAuthorizationCode.Builder}) add what is theirs.
 * Not thread-safe, like every builder.
 *
 * @param <B> the grant's own builder, returned by every option for chaining
 */
public abstract sealed class TokenGrantBuilder<B extends TokenGrantBuilder<B>>
        permits DPoPClientCredentials.Builder, DPoPAuthorizationCode.Builder {

    final DPoPHttpClient client;
    String clientSecret;
    ClientAuthentication authentication = ClientAuthentication.CLIENT_SECRET_BASIC;
    String scope;
    URI resource;
    Duration refreshBefore = Duration.ofSeconds(30);
    Duration timeout = Duration.ofSeconds(30);
    Clock clock = Clock.systemUTC();

    TokenGrantBuilder(DPoPHttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** @return this builder, asking for {@code scope} (space-separated); none by default */
    public B scope(String scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
        return self();
    }

    /** @return this builder, asking for a token for {@code resource} (RFC 8707); none by default */
    public B resource(URI resource) {
        this.resource = Objects.requireNonNull(resource, "resource");
        return self();
    }

    /** @return this builder, refreshing a token {@code margin} before it expires (default 30 s) */
    public B refreshBefore(Duration margin) {
        if (margin.isNegative()) {
            throw new IllegalArgumentException("refreshBefore must not be negative");
        }
        this.refreshBefore = margin;
        return self();
    }

    /** @return this builder, giving each token request {@code timeout} (default 30 s) */
    public B timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout;
        return self();
    }

    /** @return this builder, reading the time for expiry from {@code clock} (default the system UTC clock) */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** @return the token endpoint these options describe, for the client {@code clientId} */
    final TokenEndpoint tokenEndpoint(URI uri, String clientId) {
        return new TokenEndpoint(client, uri, clientId, clientSecret, authentication, timeout, clock);
    }

    /** Sets the client's secret and how it is sent; public clients set none. */
    final void secret(String secret, ClientAuthentication method) {
        this.clientSecret = Objects.requireNonNull(secret, "secret");
        this.authentication = Objects.requireNonNull(method, "method");
    }

    abstract B self();
}
