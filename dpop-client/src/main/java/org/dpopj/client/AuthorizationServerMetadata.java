package org.dpopj.client;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An authorization server's metadata (RFC 8414 §2) as far as a DPoP client uses it: the issuer, the
 * authorization, token and registration endpoints, and {@code dpop_signing_alg_values_supported}
 * (RFC 9449 §5.1). Obtained from {@link DPoPDiscovery#authorizationServer(URI)}, which has checked the
 * issuer (RFC 8414 §3.3), or built from known endpoints with {@link #of(URI, URI, URI)}. Immutable and
 * thread-safe.
 */
public final class AuthorizationServerMetadata {

    private final URI issuer;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final URI registrationEndpoint;
    private final List<String> dpopSigningAlgorithms;
    private final List<String> codeChallengeMethods;

    private AuthorizationServerMetadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint,
            URI registrationEndpoint, List<String> dpopSigningAlgorithms, List<String> codeChallengeMethods) {
        this.issuer = issuer;
        this.authorizationEndpoint = authorizationEndpoint;
        this.tokenEndpoint = tokenEndpoint;
        this.registrationEndpoint = registrationEndpoint;
        this.dpopSigningAlgorithms = dpopSigningAlgorithms;
        this.codeChallengeMethods = codeChallengeMethods;
    }

    /**
     * @param issuer the issuer identifier
     * @param authorizationEndpoint the authorization endpoint; {@code null} when only the token endpoint is used
     * @param tokenEndpoint the token endpoint
     * @return metadata naming only these, for a server whose metadata is known in advance
     */
    public static AuthorizationServerMetadata of(URI issuer, URI authorizationEndpoint, URI tokenEndpoint) {
        return new AuthorizationServerMetadata(Objects.requireNonNull(issuer, "issuer"),
                authorizationEndpoint == null ? null : TokenEndpoint.requireHttp(authorizationEndpoint, "authorization endpoint"),
                TokenEndpoint.requireHttp(tokenEndpoint, "token endpoint"), null, List.of(), List.of());
    }

    static AuthorizationServerMetadata parse(Map<String, Object> document, URI source) throws DPoPDiscoveryException {
        String issuer = Metadata.string(document, "issuer", source);
        URI tokenEndpoint = Metadata.uri(document, "token_endpoint", source);
        if (issuer == null || tokenEndpoint == null) {
            throw new DPoPDiscoveryException("The authorization server metadata at " + source
                    + " lacks issuer or token_endpoint (RFC 8414 §2)");
        }
        return new AuthorizationServerMetadata(URI.create(issuer), Metadata.uri(document, "authorization_endpoint", source),
                tokenEndpoint, Metadata.uri(document, "registration_endpoint", source),
                Metadata.strings(document, "dpop_signing_alg_values_supported", source),
                Metadata.strings(document, "code_challenge_methods_supported", source));
    }

    /** @return the issuer identifier, checked against the one discovery started from (RFC 8414 §3.3) */
    public URI issuer() {
        return issuer;
    }

    /** @return the authorization endpoint, when the server has one */
    public Optional<URI> authorizationEndpoint() {
        return Optional.ofNullable(authorizationEndpoint);
    }

    /** @return the token endpoint */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /** @return the dynamic client registration endpoint (RFC 7591), when the server has one */
    public Optional<URI> registrationEndpoint() {
        return Optional.ofNullable(registrationEndpoint);
    }

    /** @return the JWS algorithms the server accepts in proofs (RFC 9449 §5.1); empty when it did not say */
    public List<String> dpopSigningAlgorithms() {
        return dpopSigningAlgorithms;
    }

    /** @return the PKCE methods the server names (RFC 8414 §2); empty when it did not say */
    public List<String> codeChallengeMethods() {
        return codeChallengeMethods;
    }

    @Override
    public String toString() {
        return "AuthorizationServerMetadata[issuer=" + issuer + ", token_endpoint=" + tokenEndpoint
                + ", dpop_signing_alg_values_supported=" + dpopSigningAlgorithms + "]";
    }
}
