package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dpopj.client.internal.Json;

/**
 * Dynamic client registration (RFC 7591 §3): posts the client's metadata to the authorization
 * server's registration endpoint and reads the {@code client_id} (and secret) it is given. The
 * metadata asks for DPoP-bound tokens ({@code dpop_bound_access_tokens}, RFC 9449 §5.2), the
 * authorization code and refresh grants, and {@code none} client authentication (a public client,
 * which PKCE and DPoP protect) unless {@link Builder#confidential()} asks for a secret.
 *
 * <pre>{@code
 * RegisteredClient registered = DPoPClientRegistration.builder(http, as.registrationEndpoint().orElseThrow())
 *         .clientName("my agent").redirectUri(URI.create("http://127.0.0.1:8765/callback")).build().register();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Neither {@link #toString()} nor an exception names the initial
 * access token or the issued secret.
 */
public final class DPoPClientRegistration {

    private static final int MAX_RESPONSE = 64 * 1024;

    private final HttpClient http;
    private final URI endpoint;
    private final Map<String, Object> metadata;
    private final String initialAccessToken;
    private final Duration timeout;

    private DPoPClientRegistration(Builder builder) {
        this.http = builder.http;
        this.endpoint = builder.endpoint;
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (builder.clientName != null) {
            metadata.put("client_name", builder.clientName);
        }
        metadata.put("redirect_uris", builder.redirectUris.stream().map(URI::toString).toList());
        metadata.put("grant_types", List.copyOf(builder.grantTypes));
        metadata.put("response_types", builder.grantTypes.contains("authorization_code") ? List.of("code") : List.of());
        metadata.put("token_endpoint_auth_method", builder.confidential ? "client_secret_basic" : "none");
        if (builder.scope != null) {
            metadata.put("scope", builder.scope);
        }
        metadata.put("dpop_bound_access_tokens", Boolean.TRUE);
        this.metadata = Map.copyOf(metadata);
        this.initialAccessToken = builder.initialAccessToken;
        this.timeout = builder.timeout;
    }

    /**
     * @param http sends the registration request
     * @param registrationEndpoint the AS's {@code registration_endpoint}
     * @return a builder
     */
    public static Builder builder(HttpClient http, URI registrationEndpoint) {
        return new Builder(http, registrationEndpoint);
    }

    /**
     * @return the client registered
     * @throws DPoPTokenException when the endpoint refuses (its RFC 7591 §3.2.2 {@code error} named) or
     *     answers without a {@code client_id}
     * @throws IOException when it cannot be reached
     * @throws InterruptedException when interrupted while waiting for it
     */
    public RegisteredClient register() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(new LinkedHashMap<>(metadata)), StandardCharsets.UTF_8));
        if (initialAccessToken != null) {
            request.header("Authorization", "Bearer " + initialAccessToken);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        Map<String, Object> body = response.body() == null || response.body().length() > MAX_RESPONSE
                ? null : TokenEndpoint.parse(response.body());
        if (status != 201 && status != 200) {
            String error = body == null ? null : TokenEndpoint.errorCode(body.get("error"));
            throw new DPoPTokenException("The registration endpoint answered " + status + (error == null ? "" : " " + error),
                    status, error);
        }
        Object clientId = body == null ? null : body.get("client_id");
        if (!(clientId instanceof String) || ((String) clientId).isEmpty()) {
            throw new DPoPTokenException("The registration endpoint's response has no client_id (RFC 7591 §3.2.1)", status, null);
        }
        Object secret = body.get("client_secret");
        return new RegisteredClient((String) clientId, secret instanceof String && !((String) secret).isEmpty() ? (String) secret : null);
    }

    /** @return the metadata sent (RFC 7591 §2), unmodifiable */
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "DPoPClientRegistration[" + endpoint + ", " + metadata + "]";
    }

    /** Collects the client's metadata; not thread-safe. */
    public static final class Builder {
        private final HttpClient http;
        private final URI endpoint;
        private final List<URI> redirectUris = new ArrayList<>();
        private final List<String> grantTypes = new ArrayList<>(List.of("authorization_code", "refresh_token"));
        private String clientName;
        private String scope;
        private boolean confidential;
        private String initialAccessToken;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(HttpClient http, URI endpoint) {
            this.http = Objects.requireNonNull(http, "http");
            this.endpoint = TokenEndpoint.requireHttp(endpoint, "registration endpoint");
        }

        /** @return this builder, naming the client to users ({@code client_name}) */
        public Builder clientName(String name) {
            this.clientName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @return this builder, adding a {@code redirect_uris} entry */
        public Builder redirectUri(URI redirectUri) {
            redirectUris.add(Objects.requireNonNull(redirectUri, "redirectUri"));
            return this;
        }

        /** @return this builder, asking for {@code scope} */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** @return this builder, also asking for the client credentials grant and a secret */
        public Builder confidential() {
            this.confidential = true;
            if (!grantTypes.contains("client_credentials")) {
                grantTypes.add("client_credentials");
            }
            return this;
        }

        /** @return this builder, sending the initial access token (RFC 7591 §3) the AS requires */
        public Builder initialAccessToken(String token) {
            this.initialAccessToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /** @return this builder, giving the request {@code timeout} (default 30 s) */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** @return the registration */
        public DPoPClientRegistration build() {
            if (redirectUris.isEmpty() && !confidential) {
                throw new IllegalStateException("A public client needs a redirect URI: call redirectUri(..)");
            }
            return new DPoPClientRegistration(this);
        }
    }
}
