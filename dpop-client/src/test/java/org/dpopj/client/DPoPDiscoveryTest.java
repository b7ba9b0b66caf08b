package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DPoPDiscoveryTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final DPoPProofSigner signer = DPoPProofSigner.generate();
    private final DPoPDiscovery discovery = DPoPDiscovery.create(http, signer);
    private LoopbackServer server;
    private volatile String resourceValue;
    private volatile String resourceAlgorithms = "[\"ES256\"]";

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A resource at /mcp whose 401 names its metadata, an OIDC-only issuer at /oidc. */
    private void startResource() throws Exception {
        server = new LoopbackServer(request -> {
            String path = request.uri().getPath();
            if (path.equals("/mcp")) {
                return LoopbackServer.Answer.of(401, "", "WWW-Authenticate", "DPoP algs=\"ES256\", resource_metadata=\""
                        + server.uri("/meta/mcp") + "\"");
            }
            if (path.equals("/meta/mcp") || path.equals("/.well-known/oauth-protected-resource/mcp")) {
                return LoopbackServer.Answer.of(200, "{\"resource\":\"" + (resourceValue != null ? resourceValue : server.uri("/mcp"))
                        + "\",\"authorization_servers\":[\"" + server.uri("/oidc") + "\"],\"dpop_bound_access_tokens_required\":true,"
                        + "\"dpop_signing_alg_values_supported\":" + resourceAlgorithms + ",\"scopes_supported\":[\"tools\"]}");
            }
            if (path.equals("/oidc/.well-known/openid-configuration")) {
                return LoopbackServer.Answer.of(200, "{\"issuer\":\"" + server.uri("/oidc") + "\",\"token_endpoint\":\""
                        + server.uri("/oidc/token") + "\",\"authorization_endpoint\":\"" + server.uri("/oidc/auth") + "\"}");
            }
            return LoopbackServer.Answer.of(404, "");
        });
    }

    @Test
    void wellKnownUrlsInsertTheSuffixBetweenHostAndPath() {
        assertThat(DPoPDiscovery.protectedResourceMetadataUrl(URI.create("https://api.example.com/mcp/v1")))
                .hasToString("https://api.example.com/.well-known/oauth-protected-resource/mcp/v1");
        assertThat(DPoPDiscovery.protectedResourceMetadataUrl(URI.create("https://api.example.com/")))
                .hasToString("https://api.example.com/.well-known/oauth-protected-resource");
        assertThat(DPoPDiscovery.authorizationServerMetadataUrl(URI.create("https://as.example.com:8443/realms/x")))
                .hasToString("https://as.example.com:8443/.well-known/oauth-authorization-server/realms/x");
        assertThat(DPoPDiscovery.authorizationServerMetadataUrl(URI.create("https://as.example.com")))
                .hasToString("https://as.example.com/.well-known/oauth-authorization-server");
    }

    @Test
    void readsResourceMetadataFromTheChallengesResourceMetadataParameter() throws Exception {
        startResource();
        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(server.uri("/mcp")).build(), HttpResponse.BodyHandlers.ofString());

        ProtectedResourceMetadata metadata = discovery.protectedResource(server.uri("/mcp"), challenge);

        assertThat(DPoPDiscovery.resourceMetadataUrl(challenge)).contains(server.uri("/meta/mcp"));
        assertThat(metadata.resource()).isEqualTo(server.uri("/mcp"));
        assertThat(metadata.authorizationServers()).containsExactly(server.uri("/oidc"));
        assertThat(metadata.dpopBoundAccessTokensRequired()).isTrue();
        assertThat(metadata.scopes()).containsExactly("tools");
    }

    @Test
    void readsResourceMetadataFromThePathSuffixedWellKnownUrl() throws Exception {
        startResource();

        assertThat(discovery.protectedResource(server.uri("/mcp")).resource()).isEqualTo(server.uri("/mcp"));
        assertThat(server.received.get(0).uri().getPath()).isEqualTo("/.well-known/oauth-protected-resource/mcp");
    }

    @Test
    void refusesResourceMetadataNamingAnotherResource() throws Exception {
        startResource();
        resourceValue = "https://evil.example/mcp";

        assertThatThrownBy(() -> discovery.protectedResource(server.uri("/mcp")))
                .isInstanceOf(DPoPDiscoveryException.class).hasMessageContaining("RFC 9728 §3.3");
    }

    @Test
    void refusesResourceMetadataFromAChallengeThatIsNotTheRequestedUrl() throws Exception {
        startResource();
        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(server.uri("/mcp")).build(), HttpResponse.BodyHandlers.ofString());

        assertThatThrownBy(() -> discovery.protectedResource(server.uri("/mcp/other"), challenge))
                .isInstanceOf(DPoPDiscoveryException.class).hasMessageContaining("RFC 9728 §3.3");
    }

    @Test
    void refusesAResourceThatDoesNotAcceptTheSignersAlgorithm() throws Exception {
        startResource();
        resourceAlgorithms = "[\"RS256\"]";

        assertThatThrownBy(() -> discovery.protectedResource(server.uri("/mcp")))
                .isInstanceOf(DPoPDiscoveryException.class).hasMessageContaining("RFC 9449 §5.1");
    }

    @Test
    void fallsBackToOpenIdConnectDiscoveryAndChecksItsIssuer() throws Exception {
        startResource();

        AuthorizationServerMetadata metadata = discovery.authorizationServer(server.uri("/oidc"));

        assertThat(metadata.tokenEndpoint()).isEqualTo(server.uri("/oidc/token"));
        assertThat(metadata.authorizationEndpoint()).contains(server.uri("/oidc/auth"));
        assertThat(server.received).extracting(r -> r.uri().getPath())
                .containsExactly("/.well-known/oauth-authorization-server/oidc", "/oidc/.well-known/openid-configuration");
    }

    @Test
    void readsRfc8414MetadataWithItsDpopAlgorithmsAndRegistrationEndpoint() throws Exception {
        try (TestAuthorizationServer as = new TestAuthorizationServer()) {
            AuthorizationServerMetadata metadata = discovery.authorizationServer(as.issuer());

            assertThat(metadata.issuer()).isEqualTo(as.issuer());
            assertThat(metadata.dpopSigningAlgorithms()).containsExactly("ES256", "PS256");
            assertThat(metadata.registrationEndpoint()).contains(as.http.uri("/tenant/register"));
            assertThat(metadata.codeChallengeMethods()).containsExactly("S256");
        }
    }

    @Test
    void refusesAuthorizationServerMetadataNamingAnotherIssuer() throws Exception {
        try (TestAuthorizationServer as = new TestAuthorizationServer()) {
            as.issuerOverride = "https://evil.example/tenant";

            assertThatThrownBy(() -> discovery.authorizationServer(as.issuer()))
                    .isInstanceOf(DPoPDiscoveryException.class).hasMessageContaining("RFC 8414 §3.3");
        }
    }

    @Test
    void refusesAnAuthorizationServerThatDoesNotAcceptTheSignersAlgorithm() throws Exception {
        try (TestAuthorizationServer as = new TestAuthorizationServer()) {
            as.algorithms = "[\"RS256\"]";

            assertThatThrownBy(() -> discovery.authorizationServer(as.issuer()))
                    .isInstanceOf(DPoPDiscoveryException.class).hasMessageContaining("ES256");
        }
    }
}
