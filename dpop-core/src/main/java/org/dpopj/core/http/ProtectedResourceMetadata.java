package org.dpopj.core.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.Mode;
import org.dpopj.core.jose.JwsAlgorithm;
import org.dpopj.core.json.JsonWriter;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * The OAuth 2.0 protected resource metadata of RFC 9728 §2, read from the {@code dpop.metadata.*}
 * settings: {@code resource}, {@code authorization_servers} (default {@code dpop.token.issuer}),
 * {@code scopes_supported}, {@code bearer_methods_supported} ({@code ["header"]}: the only way the
 * library accepts a token), {@code dpop_signing_alg_values_supported} (the configured proof
 * algorithms), {@code dpop_bound_access_tokens_required} ({@code true} unless
 * {@code dpop.mode=dpop-or-bearer}), and the optional {@code resource_name} and
 * {@code resource_documentation}.
 *
 * <p>The resource identifier follows RFC 9728 §1.2: an absolute {@code https} URL without a fragment
 * (and, as RFC 8707 §2 asks of resource indicators, without a query); {@code http} is accepted on a
 * loopback host only, for development. {@link #wellKnownUri()} is the §3.1 location, the well-known
 * suffix inserted between the host and the path; {@link #metadataUri()} is the URL advertised in the
 * {@code resource_metadata} challenge parameter (§5.1), that location unless
 * {@value DPoPSettings#METADATA_URI} says otherwise.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProtectedResourceMetadata {

    /** The well-known URI suffix registered by RFC 9728 §3.1. */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final URI resource;
    private final List<String> authorizationServers;
    private final List<String> scopes;
    private final List<String> algorithms;
    private final boolean boundTokensRequired;
    private final String resourceName;
    private final URI documentation;
    private final URI metadataUri;

    private ProtectedResourceMetadata(DPoPSettings settings, URI resource) {
        this.resource = resource;
        List<String> servers = settings.list(DPoPSettings.METADATA_AUTHORIZATION_SERVERS);
        if (servers.isEmpty()) {
            servers = settings.string(AccessTokenResolvers.ISSUER).map(List::of).orElse(List.of());
        }
        servers.forEach(server -> issuerIdentifier(DPoPSettings.METADATA_AUTHORIZATION_SERVERS, server));
        this.authorizationServers = List.copyOf(servers);
        this.scopes = settings.list(DPoPSettings.METADATA_SCOPES);
        scopes.forEach(ProtectedResourceMetadata::scopeToken);
        List<String> configured = settings.list(DPoPSettings.ALGORITHMS);
        this.algorithms = configured.isEmpty() ? JwsAlgorithm.NAMES : configured.stream()
                .map(alg -> JwsAlgorithm.named(alg).orElseThrow(() -> new DPoPConfigurationException(
                        DPoPSettings.ALGORITHMS, "unsupported or symmetric algorithm")).name())
                .distinct().toList();
        this.boundTokensRequired = settings.string(DPoPSettings.MODE)
                .map(value -> {
                    try {
                        return Mode.fromConfigValue(value);
                    } catch (IllegalArgumentException e) {
                        throw new DPoPConfigurationException(DPoPSettings.MODE, e.getMessage(), e);
                    }
                })
                .orElse(Mode.DPOP_ONLY) == Mode.DPOP_ONLY;
        this.resourceName = settings.string(DPoPSettings.METADATA_RESOURCE_NAME).orElse(null);
        this.documentation = settings.httpUri(DPoPSettings.METADATA_RESOURCE_DOCUMENTATION).orElse(null);
        this.metadataUri = settings.string(DPoPSettings.METADATA_URI)
                .map(value -> parse(DPoPSettings.METADATA_URI, value)).orElse(wellKnown(resource));
    }

    /**
     * @param settings the settings to read
     * @return the metadata, or empty when {@value DPoPSettings#METADATA_RESOURCE} is not set
     * @throws DPoPConfigurationException naming the first invalid key
     */
    public static Optional<ProtectedResourceMetadata> fromSettings(DPoPSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return settings.string(DPoPSettings.METADATA_RESOURCE)
                .map(value -> new ProtectedResourceMetadata(settings, resourceIdentifier(value)));
    }

    /** @return the resource identifier, the {@code resource} member */
    public URI resource() {
        return resource;
    }

    /** @return the issuer identifiers of {@code authorization_servers}; empty when none is known */
    public List<String> authorizationServers() {
        return authorizationServers;
    }

    /** @return the {@code dpop_signing_alg_values_supported}, in the order of {@code algs} */
    public List<String> dpopSigningAlgorithms() {
        return algorithms;
    }

    /** @return whether {@code dpop_bound_access_tokens_required} is true */
    public boolean dpopBoundAccessTokensRequired() {
        return boundTokensRequired;
    }

    /** @return the RFC 9728 §3.1 well-known URL of this resource's metadata */
    public URI wellKnownUri() {
        return wellKnown(resource);
    }

    /**
     * @return the path of {@link #wellKnownUri()}: {@value #WELL_KNOWN} followed by the resource
     *     identifier's path, if any (the path-suffixed form of §3.1)
     */
    public String wellKnownPath() {
        return WELL_KNOWN + pathSuffix(resource);
    }

    /** @return the URL advertised in {@code resource_metadata} */
    public URI metadataUri() {
        return metadataUri;
    }

    /** @return the metadata document, a JSON object (RFC 9728 §3.2) */
    public String toJson() {
        JsonWriter json = new JsonWriter().string("resource", resource.toString());
        if (!authorizationServers.isEmpty()) {
            json.strings("authorization_servers", authorizationServers);
        }
        if (!scopes.isEmpty()) {
            json.strings("scopes_supported", scopes);
        }
        return json.strings("bearer_methods_supported", List.of("header"))
                .strings("dpop_signing_alg_values_supported", algorithms)
                .bool("dpop_bound_access_tokens_required", boundTokensRequired)
                .string("resource_name", resourceName)
                .string("resource_documentation", documentation == null ? null : documentation.toString())
                .close();
    }

    /**
     * @param settings the settings to read
     * @return the URL to advertise in {@code resource_metadata}, or empty when metadata is off
     * @throws DPoPConfigurationException naming the first invalid key
     */
    public static Optional<URI> metadataUri(DPoPSettings settings) {
        return fromSettings(settings).map(ProtectedResourceMetadata::metadataUri);
    }

    private static URI wellKnown(URI resource) {
        return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + WELL_KNOWN + pathSuffix(resource));
    }

    /** §3.1: a path that is only the slash after the host is dropped; any other path is kept as is. */
    private static String pathSuffix(URI resource) {
        String path = resource.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? "" : path;
    }

    /** RFC 9728 §1.2 (and RFC 8707 §2 for the query). */
    static URI resourceIdentifier(String value) {
        String key = DPoPSettings.METADATA_RESOURCE;
        URI uri = parse(key, value);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new DPoPConfigurationException(key, "must have no query and no fragment (RFC 9728 §1.2)");
        }
        return uri;
    }

    /** RFC 8414 §2: an issuer identifier is an https URL without query or fragment. */
    private static void issuerIdentifier(String key, String value) {
        URI uri = parse(key, value);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new DPoPConfigurationException(key, "issuer identifiers have no query and no fragment (RFC 8414 §2)");
        }
    }

    private static URI parse(String key, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new DPoPConfigurationException(key, "is not a valid URI", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new DPoPConfigurationException(key, "must be an absolute https URL without user information");
        }
        if (!(scheme.equals("https") || scheme.equals("http") && loopback(uri.getHost()))) {
            throw new DPoPConfigurationException(key, "must use https (http only on a loopback host)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.matches("127(\\.[0-9]{1,3}){3}");
    }

    /** RFC 6749 §3.3: a scope token is printable ASCII other than space, quote and backslash. */
    private static void scopeToken(String scope) {
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                throw new DPoPConfigurationException(DPoPSettings.METADATA_SCOPES, "scopes are RFC 6749 §3.3 scope tokens");
            }
        }
    }
}
