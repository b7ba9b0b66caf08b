package org.dpopj.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpopj.client.AuthorizationServerMetadata;
import org.dpopj.client.DPoPAccessToken;
import org.dpopj.client.DPoPClientCredentials;
import org.dpopj.client.DPoPDiscovery;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.ProtectedResourceMetadata;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.LoopbackTokenEndpoint;
import org.dpopj.it.ServerTest;
import org.dpopj.it.modes.app.EchoServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dpop-client's {@link DPoPHttpClient} against a WAR of ours (issue 14, "our own server"): no proof is
 * made by hand, the client discovers the resource and its authorization server, obtains a DPoP-bound
 * token by client credentials at a {@link LoopbackTokenEndpoint}, and calls {@code DPoPFilter}s:
 * <ul>
 * <li>{@code /plain}: the RFC 9728 resource itself ({@code dpop.metadata.resource}), nonces off;</li>
 * <li>{@code /nonce/*}: {@code dpop.nonce.mode=required};</li>
 * <li>{@code /proxy/*}: {@code dpop.htu.base-uri} set to the public URL of a {@link ForwardingProxy} the
 *     test runs on 127.0.0.1, port {@code it.http.port + 50}.</li>
 * </ul>
 * The issuer's RFC 8414 document (the loopback issuer's, overridden for this class) names the token
 * endpoint, so the issuer the RS document names, the metadata's {@code issuer} and the tokens' {@code iss}
 * are one.
 */
@ServerTest
class DPoPClientIT {

    static final int HTTP_PORT = Integer.getInteger("it.http.port");
    static final String SERVER = "http://127.0.0.1:" + HTTP_PORT;
    static final int PROXY_PORT = HTTP_PORT + 50;
    static final String PROXY = "http://127.0.0.1:" + PROXY_PORT;
    /** The RFC 9728 resource identifier: exactly the URL the client calls first. */
    static final String RESOURCE = SERVER + "/client/plain";
    static final String METADATA_URL = SERVER + "/client/.well-known/oauth-protected-resource/client/plain";

    private static LoopbackTokenEndpoint tokens;
    private static LoopbackTokenEndpoint nonceTokens;
    private static ForwardingProxy proxy;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        Map<String, String> jwt = new LinkedHashMap<>();
        jwt.put("dpop.token.issuer", issuer);
        jwt.put("dpop.token.jwks-uri", issuer + "/jwks");
        jwt.put("dpop.token.audience", LoopbackIssuer.AUDIENCE);

        Map<String, String> plain = new LinkedHashMap<>(jwt);
        plain.put("dpop.replay.cache", "dpop-replay-client-plain");

        Map<String, String> nonce = new LinkedHashMap<>(jwt);
        nonce.put("dpop.nonce.mode", "required");
        nonce.put("dpop.nonce.secret", "a-client-integration-test-nonce-secret-longer-than-32-bytes");
        nonce.put("dpop.nonce.step", "5m");
        nonce.put("dpop.replay.cache", "dpop-replay-client-nonce");

        Map<String, String> behindProxy = new LinkedHashMap<>(jwt);
        behindProxy.put("dpop.htu.base-uri", PROXY);
        behindProxy.put("dpop.replay.cache", "dpop-replay-client-proxy");

        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                """
                + Deployments.contextParam("dpop.metadata.resource", RESOURCE)
                + Deployments.contextParam("dpop.metadata.uri", METADATA_URL)
                + Deployments.contextParam("dpop.metadata.authorization-servers", issuer)
                + Deployments.contextParam("dpop.metadata.resource-name", "dpopj client")
                + Deployments.dpopFilter("plain", "/plain/*", plain)
                + Deployments.dpopFilter("nonce", "/nonce/*", nonce)
                + Deployments.dpopFilter("proxy", "/proxy/*", behindProxy)
                + "</web-app>\n";
        return Deployments.war("client")
                .addClass(EchoServlet.class)
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsLibraries(Deployments.allLibraries());
    }

    @BeforeAll
    static void startTokenEndpointsAndProxy() {
        LoopbackIssuer issuer = LoopbackIssuerExtension.issuer();
        tokens = LoopbackTokenEndpoint.start(issuer, false);
        nonceTokens = LoopbackTokenEndpoint.start(issuer, true);
        issuer.oauthMetadata(LoopbackIssuer.Answer.json(tokens.metadataJson(issuer.issuer())));
        proxy = ForwardingProxy.start(PROXY_PORT, SERVER);
    }

    @AfterAll
    static void stopTokenEndpointsAndProxy() {
        LoopbackIssuerExtension.issuer().reset();
        if (proxy != null) {
            proxy.close();
        }
        if (nonceTokens != null) {
            nonceTokens.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static DPoPAccessToken clientCredentials(DPoPHttpClient dpop, URI tokenEndpoint) throws Exception {
        return DPoPClientCredentials.builder(dpop, tokenEndpoint)
                .client(LoopbackTokenEndpoint.CLIENT_ID, LoopbackTokenEndpoint.CLIENT_SECRET)
                .build().token();
    }

    @Test
    void withoutNoncesTheClientDiscoversObtainsABoundTokenAndIsAccepted() throws Exception {
        CountingHttpClient wire = new CountingHttpClient();
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPHttpClient dpop = DPoPHttpClient.create(wire, signer);
        DPoPDiscovery discovery = DPoPDiscovery.create(wire, signer);

        HttpResponse<String> challenge = wire.send(get(RESOURCE), HttpResponse.BodyHandlers.ofString());
        assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(401);
        assertThat(DPoPDiscovery.resourceMetadataUrl(challenge)).contains(URI.create(METADATA_URL));
        ProtectedResourceMetadata resource = discovery.protectedResource(URI.create(RESOURCE), challenge);
        assertThat(resource.resource()).isEqualTo(URI.create(RESOURCE));
        URI issuer = resource.authorizationServers().get(0);
        assertThat(issuer.toString()).isEqualTo(LoopbackIssuerExtension.issuer().issuer());
        AuthorizationServerMetadata as = discovery.authorizationServer(issuer);
        assertThat(as.tokenEndpoint()).isEqualTo(tokens.uri());

        int issuedBefore = tokens.issued();
        DPoPAccessToken token = clientCredentials(dpop, as.tokenEndpoint());
        assertThat(tokens.issued()).isEqualTo(issuedBefore + 1);
        assertThat(token.boundTo()).isEqualTo(signer.thumbprint());

        HttpResponse<String> first = dpop.send(get(RESOURCE), token, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = dpop.send(get(RESOURCE), token, HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("auth=DPoP", "jkt=" + signer.thumbprint(), "htu=" + RESOURCE);
        assertThat(second.statusCode()).as("the same token with a fresh proof: %s", second.body()).isEqualTo(200);
        assertThat(tokens.issued()).as("the token is reused, not fetched again").isEqualTo(issuedBefore + 1);
        assertThat(wire.count(401)).as("only the discovery challenge: %s", wire.exchanges()).isEqualTo(1);
    }

    @Test
    void withNoncesRequiredTheClientRetriesOnceAndRemembersTheNonce() throws Exception {
        CountingHttpClient wire = new CountingHttpClient();
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPHttpClient dpop = DPoPHttpClient.create(wire, signer);
        int asNonceErrorsBefore = nonceTokens.nonceErrors();
        int asRequestsBefore = nonceTokens.requests();

        DPoPAccessToken token = clientCredentials(dpop, nonceTokens.uri());

        assertThat(nonceTokens.nonceErrors()).as("the token endpoint asked for its nonce once")
                .isEqualTo(asNonceErrorsBefore + 1);
        assertThat(nonceTokens.requests()).as("one retry with the AS nonce").isEqualTo(asRequestsBefore + 2);
        assertThat(dpop.authorizationServerNonce(nonceTokens.uri())).isPresent();
        wire.clear();

        String url = SERVER + "/client/nonce/orders";
        HttpResponse<String> first = dpop.send(get(url), token, HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(wire.exchanges()).hasSize(2);
        assertThat(wire.exchanges().get(0).status()).isEqualTo(401);
        assertThat(wire.exchanges().get(0).challenges()).anyMatch(c -> c.contains("use_dpop_nonce"));
        assertThat(dpop.resourceServerNonce(URI.create(url))).isPresent();

        HttpResponse<String> second = dpop.send(get(url), token, HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(wire.exchanges()).as("the second request already carried the nonce").hasSize(3);
        assertThat(wire.count(401)).as("401s the server sent: %s", wire.exchanges()).isEqualTo(1);
    }

    @Test
    void behindAProxyTheHtuIsThePublicBaseUri() throws Exception {
        CountingHttpClient wire = new CountingHttpClient();
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPHttpClient dpop = DPoPHttpClient.create(wire, signer);
        DPoPAccessToken token = clientCredentials(dpop, tokens.uri());
        String path = "/client/proxy/orders";

        int forwardedBefore = proxy.forwarded();
        HttpResponse<String> viaProxy = dpop.send(get(PROXY + path + "?page=2"), token, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> direct = dpop.send(get(SERVER + path), token, HttpResponse.BodyHandlers.ofString());

        assertThat(viaProxy.statusCode()).as(viaProxy.body()).isEqualTo(200);
        assertThat(viaProxy.body()).contains("jkt=" + signer.thumbprint(), "htu=" + PROXY + path);
        assertThat(proxy.forwarded()).isEqualTo(forwardedBefore + 1);
        assertRefused(direct, 401, "invalid_dpop_proof");
    }

    @Test
    void aTokenBoundToAnotherKeyIsRefusedWithoutALoop() throws Exception {
        CountingHttpClient wire = new CountingHttpClient();
        DPoPHttpClient dpop = DPoPHttpClient.create(wire, DPoPProofSigner.generate());
        DPoPProofSigner other = DPoPProofSigner.generate();
        String foreign = LoopbackIssuerExtension.issuer().accessToken().es256().boundTo(other.thumbprint()).jwt();

        HttpResponse<String> plain = dpop.send(get(RESOURCE), foreign, HttpResponse.BodyHandlers.ofString());
        assertRefused(plain, 401, "invalid_token");
        assertThat(wire.exchanges()).as("no retry on a refusal that is not a nonce challenge").hasSize(1);

        wire.clear();
        HttpResponse<String> withNonce = dpop.send(get(SERVER + "/client/nonce/orders"), foreign,
                HttpResponse.BodyHandlers.ofString());
        assertRefused(withNonce, 401, "invalid_token");
        List<CountingHttpClient.Exchange> sent = wire.exchanges();
        assertThat(sent).as("at most one nonce retry, never a loop: %s", sent).hasSizeBetween(1, 2);
    }
}
