package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The authorization code grant with PKCE and DPoP (RFC 6749 §4.1, RFC 7636, RFC 9449 §10): builds the
 * authorization URL with {@code code_challenge} (S256) and {@code dpop_jkt} (the signer's thumbprint,
 * so the code can only be redeemed with this key), checks the callback's {@code state} (and its
 * {@code iss}, RFC 9207 §2.4, when present), and redeems the code at the token endpoint with the
 * {@code code_verifier} and a proof (the AS-nonce retry included). The tokens must be {@code DPoP}.
 *
 * <p>When a user has to log in, the caller opens {@link AuthorizationRequest#uri()} in a browser and
 * hands the callback URL to {@link #complete}. When the authorization server answers without a login
 * page (a consent already given, a machine user), {@link #authorize(HttpClient)} follows its redirects
 * itself.
 *
 * <pre>{@code
 * DPoPAuthorizationCode flow = DPoPAuthorizationCode.builder(dpop, as, "my-agent", URI.create("http://127.0.0.1:8765/cb"))
 *         .scope("openid tools").build();
 * AuthorizationRequest request = flow.start();            // open request.uri() in the browser
 * DPoPTokens tokens = flow.complete(request, callbackUri);  // the URL the browser came back to
 * dpop.send(apiRequest, tokens.token(), BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Immutable and thread-safe. Neither {@link #toString()} nor an exception names the secret, the
 * code, the verifier or a token.
 */
public final class DPoPAuthorizationCode {

    private static final int MAX_REDIRECTS = 8;

    private final TokenEndpoint endpoint;
    private final AuthorizationServerMetadata server;
    private final URI authorizationEndpoint;
    private final URI redirectUri;
    private final String scope;
    private final URI resource;
    private final Duration refreshBefore;
    private final SecureRandom random = new SecureRandom();

    private DPoPAuthorizationCode(Builder builder) {
        this.server = builder.server;
        this.authorizationEndpoint = builder.server.authorizationEndpoint().orElseThrow(() ->
                new IllegalArgumentException("The authorization server has no authorization_endpoint"));
        this.endpoint = builder.tokenEndpoint(builder.server.tokenEndpoint(), builder.clientId);
        this.redirectUri = builder.redirectUri;
        this.scope = builder.scope;
        this.resource = builder.resource;
        this.refreshBefore = builder.refreshBefore;
    }

    /**
     * @param client signs the proofs (its key is the one {@code dpop_jkt} names) and sends the token requests
     * @param server the authorization server, from {@link DPoPDiscovery} or {@link AuthorizationServerMetadata#of}
     * @param clientId the client id, e.g. from {@link DPoPClientRegistration}
     * @param redirectUri the registered redirect URI
     * @return a builder
     */
    public static Builder builder(DPoPHttpClient client, AuthorizationServerMetadata server, String clientId, URI redirectUri) {
        return new Builder(client, server, clientId, redirectUri);
    }

    /** @return a new authorization request: fresh {@code state} and PKCE verifier, {@code dpop_jkt} of the signer */
    public AuthorizationRequest start() {
        return AuthorizationRequest.create(authorizationEndpoint, endpoint.clientId(), redirectUri, scope, resource,
                endpoint.client().signer().thumbprint(), random);
    }

    /**
     * Completes {@code request} with the URL the authorization server redirected the user agent to.
     *
     * @param request the request {@link #start()} made
     * @param callback the redirect URI with the response's query ({@code code}, {@code state}, maybe {@code iss})
     * @return the tokens
     * @throws DPoPTokenException when the callback carries an {@code error}, a wrong {@code state} or
     *     {@code iss}, no code, or the token endpoint refuses
     */
    public DPoPTokens complete(AuthorizationRequest request, URI callback) throws IOException, InterruptedException {
        Map<String, String> response = query(callback);
        String error = TokenEndpoint.errorCode(response.get("error"));
        if (response.containsKey("error")) {
            throw new DPoPTokenException("The authorization server refused the authorization request"
                    + (error == null ? "" : ": " + error), 0, error);
        }
        if (!request.matchesState(response.get("state"))) {
            throw new DPoPTokenException("The authorization response's state is not the request's (RFC 6749 §10.12)", 0, null);
        }
        String iss = response.get("iss");
        if (iss != null && !iss.equals(server.issuer().toString())) {
            throw new DPoPTokenException("The authorization response comes from another issuer (RFC 9207 §2.4)", 0, null);
        }
        String code = response.get("code");
        if (code == null || code.isEmpty()) {
            throw new DPoPTokenException("The authorization response has no code", 0, null);
        }
        return exchange(request, code);
    }

    /**
     * Redeems {@code code} (whose {@code state} the caller has checked) with the request's verifier.
     *
     * @return the tokens
     * @throws DPoPTokenException when the token endpoint refuses or issues no DPoP token
     */
    public DPoPTokens exchange(AuthorizationRequest request, String code) throws IOException, InterruptedException {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "authorization_code");
        grant.put("code", Objects.requireNonNull(code, "code"));
        grant.put("redirect_uri", request.redirectUri().toString());
        grant.put("code_verifier", request.codeVerifier());
        if (resource != null) {
            grant.put("resource", resource.toString());
        }
        return new DPoPTokens(endpoint, refreshBefore, endpoint.request(grant));
    }

    /**
     * Runs the whole flow without a user: requests authorization, follows the authorization server's
     * redirects (at most eight) until one goes to the redirect URI, and completes it.
     * Works only when the authorization server answers without a login page.
     *
     * @param browser sends the authorization requests; its redirect policy must be {@code NEVER} (the default)
     * @return the tokens
     * @throws DPoPTokenException when the server answers with a page (a login is needed: use {@link #start()}
     *     and {@link #complete}) or the flow fails
     */
    public DPoPTokens authorize(HttpClient browser) throws IOException, InterruptedException {
        AuthorizationRequest request = start();
        URI next = request.uri();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = browser.send(HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status < 300 || status > 399 || response.headers().firstValue("Location").isEmpty()) {
                throw new DPoPTokenException("The authorization endpoint answered " + status + " instead of a redirect:"
                        + " it wants a user to log in or consent; open the request's URL in a browser and call complete(..)",
                        status, null);
            }
            next = next.resolve(response.headers().firstValue("Location").get());
            if (isRedirectUri(next)) {
                return complete(request, next);
            }
        }
        throw new DPoPTokenException("The authorization endpoint redirected more than " + MAX_REDIRECTS + " times", 0, null);
    }

    private boolean isRedirectUri(URI uri) {
        return Objects.equals(uri.getScheme(), redirectUri.getScheme())
                && Objects.equals(uri.getRawAuthority(), redirectUri.getRawAuthority())
                && Objects.equals(uri.getRawPath(), redirectUri.getRawPath());
    }

    private static Map<String, String> query(URI callback) {
        Map<String, String> values = new LinkedHashMap<>();
        String query = callback.getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    /** @return the endpoints and client id; never a secret */
    @Override
    public String toString() {
        return "DPoPAuthorizationCode[authorization_endpoint=" + authorizationEndpoint + ", token_endpoint="
                + endpoint.uri() + ", clientId=" + endpoint.clientId() + "]";
    }

    /** Collects the flow's settings; not thread-safe. The shared options are {@link TokenGrantBuilder}'s. */
    public static final class Builder extends TokenGrantBuilder<Builder> {
        private final AuthorizationServerMetadata server;
        private final String clientId;
        private final URI redirectUri;

        private Builder(DPoPHttpClient client, AuthorizationServerMetadata server, String clientId, URI redirectUri) {
            super(client);
            this.server = Objects.requireNonNull(server, "server");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.redirectUri = TokenEndpoint.requireHttp(redirectUri, "redirect URI");
        }

        /** @return this builder, for a confidential client authenticating with {@code secret} */
        public Builder clientSecret(String secret, ClientAuthentication method) {
            secret(secret, method);
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return the flow */
        public DPoPAuthorizationCode build() {
            return new DPoPAuthorizationCode(this);
        }
    }
}
