package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client credentials grant (RFC 6749 §4.4) with a DPoP proof (RFC 9449 §5): a form POST to the
 * token endpoint, authenticated with the client secret ({@link ClientAuthentication}), carrying a
 * proof for the token endpoint's URL; an authorization server's {@code use_dpop_nonce} answer is
 * retried once with its nonce ({@link DPoPHttpClient#sendTokenRequest}). The issued token must have
 * {@code token_type} {@code DPoP} (case-insensitive), or the call fails: a Bearer token would not be
 * bound to the key.
 *
 * <p>{@link #token()} caches the token and fetches a new one when the cached one expires within
 * {@code refreshBefore} (default 30 seconds); a token without {@code expires_in} is kept until
 * {@link #invalidate()}.
 *
 * <pre>{@code
 * DPoPHttpClient dpop = DPoPHttpClient.create(HttpClient.newHttpClient(), DPoPProofSigner.generate());
 * DPoPClientCredentials tokens = DPoPClientCredentials.builder(dpop, URI.create("https://as.example.com/token"))
 *         .client("orders-service", secret).scope("orders.read").build();
 * HttpResponse<String> orders = dpop.send(request, tokens.token().value(), HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Thread-safe: concurrent callers share one fetch. {@link #toString()} and every exception name
 * neither the secret nor a token.
 */
public final class DPoPClientCredentials implements DPoPTokenSource {

    private final TokenEndpoint endpoint;
    private final String scope;
    private final URI resource;
    private final Duration refreshBefore;
    private final Clock clock;

    private DPoPAccessToken cached;

    private DPoPClientCredentials(Builder builder) {
        this.endpoint = builder.tokenEndpoint(builder.tokenEndpoint,
                Objects.requireNonNull(builder.clientId, "client id: call client(id, secret)"));
        this.scope = builder.scope;
        this.resource = builder.resource;
        this.refreshBefore = builder.refreshBefore;
        this.clock = builder.clock;
    }

    /**
     * @param client sends the token request and signs its proof
     * @param tokenEndpoint the authorization server's token endpoint (https, or http on loopback for tests)
     * @return a builder
     */
    public static Builder builder(DPoPHttpClient client, URI tokenEndpoint) {
        return new Builder(client, tokenEndpoint);
    }

    /**
     * @return the cached token, or a new one when there is none or it expires within {@code refreshBefore}
     * @throws DPoPTokenException when the token endpoint refuses or issues no DPoP token
     * @throws IOException when the endpoint cannot be reached
     * @throws InterruptedException when interrupted while waiting for it
     */
    @Override
    public synchronized DPoPAccessToken token() throws IOException, InterruptedException {
        if (cached == null || cached.expiresWithin(clock.instant(), refreshBefore)) {
            cached = fetch();
        }
        return cached;
    }

    /** Forgets the cached token, for instance after a resource server answered {@code invalid_token}. */
    @Override
    public synchronized void invalidate() {
        cached = null;
    }

    /**
     * Requests a new token, bypassing and not updating the cache.
     *
     * @return the token issued
     * @throws DPoPTokenException when the token endpoint refuses or issues no DPoP token
     * @throws IOException when the endpoint cannot be reached
     * @throws InterruptedException when interrupted while waiting for it
     */
    public DPoPAccessToken fetch() throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        if (resource != null) {
            form.put("resource", resource.toString());
        }
        return endpoint.request(form).accessToken();
    }

    /** @return the endpoint, client id and authentication method; never the secret or a token */
    @Override
    public String toString() {
        return "DPoPClientCredentials[tokenEndpoint=" + endpoint.uri() + ", clientId=" + endpoint.clientId()
                + ", authentication=" + endpoint.authentication() + "]";
    }

    /** Collects the grant's settings; not thread-safe. The shared options are {@link TokenGrantBuilder}'s. */
    public static final class Builder extends TokenGrantBuilder<Builder> {
        private final URI tokenEndpoint;
        private String clientId;

        private Builder(DPoPHttpClient client, URI tokenEndpoint) {
            super(client);
            this.tokenEndpoint = TokenEndpoint.requireHttp(tokenEndpoint, "token endpoint");
        }

        /**
         * @param id the client id
         * @param secret the client secret
         * @return this builder
         */
        public Builder client(String id, String secret) {
            this.clientId = Objects.requireNonNull(id, "id");
            secret(secret, authentication);
            return this;
        }

        /** @return this builder, authenticating with {@code method} (default {@code client_secret_basic}) */
        public Builder authentication(ClientAuthentication method) {
            this.authentication = Objects.requireNonNull(method, "method");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return the grant */
        public DPoPClientCredentials build() {
            return new DPoPClientCredentials(this);
        }
    }
}
