package org.dpopj.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * One authorization request of the code flow (RFC 6749 §4.1.1) in progress: the URL to send the user
 * agent to, with PKCE S256 (RFC 7636 §4.2), a fresh {@code state} and {@code dpop_jkt} (RFC 9449
 * §10), and the secrets needed to complete it: the {@code code_verifier} and the expected
 * {@code state}. Use it once. {@link #toString()} shows neither secret. Immutable and thread-safe.
 */
public final class AuthorizationRequest {

    private static final int VERIFIER_BYTES = 32;
    private static final int STATE_BYTES = 16;

    private final URI uri;
    private final String state;
    private final String codeVerifier;
    private final URI redirectUri;

    private AuthorizationRequest(URI uri, String state, String codeVerifier, URI redirectUri) {
        this.uri = uri;
        this.state = state;
        this.codeVerifier = codeVerifier;
        this.redirectUri = redirectUri;
    }

    static AuthorizationRequest create(URI authorizationEndpoint, String clientId, URI redirectUri, String scope,
            URI resource, String dpopJkt, SecureRandom random) {
        String state = random(random, STATE_BYTES);
        String verifier = random(random, VERIFIER_BYTES);
        String challenge = PublicJwks.base64url(PublicJwks.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri.toString());
        if (scope != null) {
            query.put("scope", scope);
        }
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        query.put("dpop_jkt", dpopJkt);
        if (resource != null) {
            query.put("resource", resource.toString());
        }
        String base = authorizationEndpoint.toString();
        String separator = authorizationEndpoint.getRawQuery() == null ? "?" : "&";
        return new AuthorizationRequest(URI.create(base + separator + TokenEndpoint.form(query)), state, verifier, redirectUri);
    }

    private static String random(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return PublicJwks.base64url(value);
    }

    /** @return the authorization URL to open in the user agent */
    public URI uri() {
        return uri;
    }

    /** @return the redirect URI the code comes back to */
    public URI redirectUri() {
        return redirectUri;
    }

    String state() {
        return state;
    }

    String codeVerifier() {
        return codeVerifier;
    }

    /** @return whether {@code state} is this request's (compared in constant time) */
    boolean matchesState(String state) {
        return state != null && java.security.MessageDigest.isEqual(
                this.state.getBytes(StandardCharsets.US_ASCII), state.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the endpoint and redirect URI; never the state or the code verifier */
    @Override
    public String toString() {
        String text = uri.toString();
        int query = text.indexOf('?');
        return "AuthorizationRequest[endpoint=" + (query < 0 ? text : text.substring(0, query))
                + ", redirectUri=" + Objects.toString(redirectUri) + "]";
    }
}
