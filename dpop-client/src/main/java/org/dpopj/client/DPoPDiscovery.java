package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dpopj.client.internal.Json;

/**
 * Finds out, from nothing but a resource's URL, where to get a DPoP token for it: the resource's
 * metadata (RFC 9728), from the {@code resource_metadata} parameter of its {@code 401} challenge
 * (§5.1) or from its well-known URL (§3.1, the path-suffixed form for a resource with a path), then
 * its authorization server's metadata (RFC 8414 §3, falling back to OpenID Connect Discovery's
 * {@code /.well-known/openid-configuration}).
 *
 * <p>Every document is checked before it is used: the resource metadata's {@code resource} must be
 * the identifier it was fetched for, or (from a challenge) the URL the request went to (RFC 9728
 * §3.3); the authorization server's {@code issuer} must be the issuer identifier it was fetched for
 * (RFC 8414 §3.3); and when either names {@code dpop_signing_alg_values_supported}, the signer's
 * algorithm must be among them (RFC 9449 §5.1). Redirects are not followed.
 *
 * <pre>{@code
 * DPoPDiscovery discovery = DPoPDiscovery.create(HttpClient.newHttpClient(), signer);
 * ProtectedResourceMetadata resource = discovery.protectedResource(URI.create("https://api.example.com/mcp"));
 * AuthorizationServerMetadata as = discovery.authorizationServer(resource.authorizationServers().get(0));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DPoPDiscovery {

    private static final String PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource";
    private static final String AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server";
    private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    private static final Pattern RESOURCE_METADATA = Pattern.compile(
            "(?i)(?:^|[\\s,])resource_metadata\\s*=\\s*(?:\"([^\"\\\\]*)\"|([^\\s,\"]+))");
    private static final int MAX_DOCUMENT = 64 * 1024;

    private final HttpClient http;
    private final DPoPAlgorithm algorithm;
    private final Duration timeout;

    private DPoPDiscovery(HttpClient http, DPoPAlgorithm algorithm, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @param http fetches the metadata (its redirect policy should stay {@code NEVER}, the default)
     * @param signer the key the client will sign proofs with; its algorithm must be accepted
     * @return a discovery with a 10-second time-out per document
     */
    public static DPoPDiscovery create(HttpClient http, DPoPProofSigner signer) {
        return new DPoPDiscovery(http, signer.algorithm(), Duration.ofSeconds(10));
    }

    /** @return a discovery giving each document {@code timeout} */
    public DPoPDiscovery withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return new DPoPDiscovery(http, algorithm, timeout);
    }

    /**
     * @param resource a resource identifier, such as {@code https://api.example.com/mcp}
     * @return its metadata URL: {@code /.well-known/oauth-protected-resource} inserted between the host and
     *     the path (RFC 9728 §3.1), e.g. {@code https://api.example.com/.well-known/oauth-protected-resource/mcp}
     */
    public static URI protectedResourceMetadataUrl(URI resource) {
        return wellKnown(TokenEndpoint.requireHttp(resource, "resource"), PROTECTED_RESOURCE);
    }

    /**
     * @param issuer an issuer identifier
     * @return its RFC 8414 §3.1 metadata URL, {@code /.well-known/oauth-authorization-server} inserted
     *     between the host and the path
     */
    public static URI authorizationServerMetadataUrl(URI issuer) {
        return wellKnown(TokenEndpoint.requireHttp(issuer, "issuer"), AUTHORIZATION_SERVER);
    }

    /**
     * @param challenge a resource server's response
     * @return the {@code resource_metadata} URL of its {@code WWW-Authenticate} challenges (RFC 9728
     *     §5.1), when it is a {@code 401} naming one
     */
    public static Optional<URI> resourceMetadataUrl(HttpResponse<?> challenge) {
        if (challenge.statusCode() != 401) {
            return Optional.empty();
        }
        for (String value : challenge.headers().allValues("WWW-Authenticate")) {
            Matcher matcher = RESOURCE_METADATA.matcher(value);
            if (matcher.find()) {
                String url = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                try {
                    return Optional.of(TokenEndpoint.requireHttp(new URI(url), "resource_metadata"));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Fetches the metadata of {@code resource} from its well-known URL.
     *
     * @param resource the resource identifier
     * @return its metadata, whose {@code resource} is {@code resource} (RFC 9728 §3.3)
     * @throws DPoPDiscoveryException when it cannot be fetched, parsed or fails a check
     */
    public ProtectedResourceMetadata protectedResource(URI resource) throws IOException, InterruptedException {
        URI url = protectedResourceMetadataUrl(resource);
        return checkedResource(ProtectedResourceMetadata.parse(fetch(url), url), resource, url);
    }

    /**
     * Fetches the metadata of the resource that answered {@code challenge} to a request for
     * {@code requested}: from the challenge's {@code resource_metadata} when it names one, else from
     * the well-known URL of {@code requested}.
     *
     * @param requested the URL the request went to
     * @param challenge the resource server's {@code 401}
     * @return its metadata, whose {@code resource} is {@code requested} (RFC 9728 §3.3)
     * @throws DPoPDiscoveryException when it cannot be fetched, parsed or fails a check
     */
    public ProtectedResourceMetadata protectedResource(URI requested, HttpResponse<?> challenge)
            throws IOException, InterruptedException {
        Optional<URI> url = resourceMetadataUrl(challenge);
        if (url.isEmpty()) {
            return protectedResource(requested);
        }
        return checkedResource(ProtectedResourceMetadata.parse(fetch(url.get()), url.get()), withoutFragment(requested), url.get());
    }

    /**
     * Fetches an authorization server's metadata: RFC 8414 §3.1's URL first, then OpenID Connect
     * Discovery's {@code <issuer>/.well-known/openid-configuration} when the first is not found.
     *
     * @param issuer the issuer identifier, e.g. from {@link ProtectedResourceMetadata#authorizationServers()}
     * @return its metadata, whose {@code issuer} is {@code issuer} (RFC 8414 §3.3)
     * @throws DPoPDiscoveryException when neither can be fetched or parsed, or a check fails
     */
    public AuthorizationServerMetadata authorizationServer(URI issuer) throws IOException, InterruptedException {
        URI url = authorizationServerMetadataUrl(issuer);
        Map<String, Object> document;
        try {
            document = fetch(url);
        } catch (DPoPDiscoveryException notThere) {
            String base = issuer.toString();
            url = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + OPENID_CONFIGURATION);
            document = fetch(url);
        }
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(document, url);
        if (!metadata.issuer().toString().equals(issuer.toString())) {
            throw new DPoPDiscoveryException("The authorization server metadata at " + url + " names the issuer "
                    + metadata.issuer() + ", not " + issuer + " (RFC 8414 §3.3): not used");
        }
        requireAlgorithm(metadata.dpopSigningAlgorithms(), url);
        return metadata;
    }

    private ProtectedResourceMetadata checkedResource(ProtectedResourceMetadata metadata, URI expected, URI url)
            throws DPoPDiscoveryException {
        if (!metadata.resource().toString().equals(expected.toString())) {
            throw new DPoPDiscoveryException("The protected resource metadata at " + url + " names the resource "
                    + metadata.resource() + ", not " + expected + " (RFC 9728 §3.3): not used");
        }
        requireAlgorithm(metadata.dpopSigningAlgorithms(), url);
        return metadata;
    }

    private void requireAlgorithm(List<String> supported, URI url) throws DPoPDiscoveryException {
        if (!supported.isEmpty() && !supported.contains(algorithm.name())) {
            throw new DPoPDiscoveryException("The metadata at " + url + " accepts DPoP proofs signed with " + supported
                    + ", not " + algorithm.name() + " (RFC 9449 §5.1)");
        }
    }

    private Map<String, Object> fetch(URI url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new DPoPDiscoveryException("The metadata at " + url + " answered " + response.statusCode());
        }
        String body = response.body();
        if (body == null || body.length() > MAX_DOCUMENT) {
            throw new DPoPDiscoveryException("The metadata at " + url + " is empty or larger than " + MAX_DOCUMENT + " characters");
        }
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw new DPoPDiscoveryException("The metadata at " + url + " is not a JSON object");
        }
    }

    private static URI wellKnown(URI identifier, String wellKnown) {
        String path = identifier.getRawPath() == null || identifier.getRawPath().equals("/") ? "" : identifier.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = identifier.getRawQuery() == null ? "" : "?" + identifier.getRawQuery();
        return URI.create(identifier.getScheme() + "://" + identifier.getRawAuthority() + wellKnown + path + query);
    }

    private static URI withoutFragment(URI uri) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? uri : URI.create(text.substring(0, hash));
    }

    @Override
    public String toString() {
        return "DPoPDiscovery[alg=" + algorithm + "]";
    }
}
