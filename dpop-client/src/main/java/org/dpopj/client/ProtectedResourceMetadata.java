package org.dpopj.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A protected resource's metadata (RFC 9728 §2) as far as a DPoP client uses it: its resource
 * identifier, the authorization servers that issue its tokens, the proof algorithms it accepts
 * ({@code dpop_signing_alg_values_supported}), whether it requires DPoP-bound tokens
 * ({@code dpop_bound_access_tokens_required}) and its scopes. Obtained from {@link DPoPDiscovery},
 * which has checked the resource identifier (RFC 9728 §3.3). Immutable and thread-safe.
 */
public final class ProtectedResourceMetadata {

    private final URI resource;
    private final List<URI> authorizationServers;
    private final List<String> dpopSigningAlgorithms;
    private final boolean dpopBoundAccessTokensRequired;
    private final List<String> scopes;

    private ProtectedResourceMetadata(URI resource, List<URI> authorizationServers, List<String> dpopSigningAlgorithms,
            boolean dpopBoundAccessTokensRequired, List<String> scopes) {
        this.resource = resource;
        this.authorizationServers = authorizationServers;
        this.dpopSigningAlgorithms = dpopSigningAlgorithms;
        this.dpopBoundAccessTokensRequired = dpopBoundAccessTokensRequired;
        this.scopes = scopes;
    }

    static ProtectedResourceMetadata parse(Map<String, Object> document, URI source) throws DPoPDiscoveryException {
        String resource = Metadata.string(document, "resource", source);
        if (resource == null) {
            throw new DPoPDiscoveryException("The protected resource metadata at " + source + " lacks resource (RFC 9728 §2)");
        }
        List<URI> servers = new java.util.ArrayList<>();
        for (String server : Metadata.strings(document, "authorization_servers", source)) {
            try {
                servers.add(TokenEndpoint.requireHttp(URI.create(server), "authorization server"));
            } catch (IllegalArgumentException e) {
                throw new DPoPDiscoveryException("The protected resource metadata at " + source
                        + " names an authorization server that is not an http(s) URL");
            }
        }
        return new ProtectedResourceMetadata(URI.create(resource), List.copyOf(servers),
                Metadata.strings(document, "dpop_signing_alg_values_supported", source),
                Metadata.flag(document, "dpop_bound_access_tokens_required", source),
                Metadata.strings(document, "scopes_supported", source));
    }

    /** @return the resource identifier, for RFC 8707 {@code resource} parameters */
    public URI resource() {
        return resource;
    }

    /** @return the issuers of the authorization servers the resource accepts tokens from; may be empty */
    public List<URI> authorizationServers() {
        return authorizationServers;
    }

    /** @return the JWS algorithms the resource accepts in proofs; empty when it did not say */
    public List<String> dpopSigningAlgorithms() {
        return dpopSigningAlgorithms;
    }

    /** @return whether the resource always requires DPoP-bound access tokens (RFC 9728 §2) */
    public boolean dpopBoundAccessTokensRequired() {
        return dpopBoundAccessTokensRequired;
    }

    /** @return the scopes the resource names; empty when it did not say */
    public List<String> scopes() {
        return scopes;
    }

    @Override
    public String toString() {
        return "ProtectedResourceMetadata[resource=" + resource + ", authorization_servers=" + authorizationServers + "]";
    }
}
