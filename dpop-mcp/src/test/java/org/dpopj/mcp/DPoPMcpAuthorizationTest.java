package org.dpopj.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.dpopj.client.DPoPClientCredentials;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.DPoPTokenSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against a real MCP server (the SDK's servlet transport behind dpopj's DPoPFilter, in
 * Jetty on 127.0.0.1) with real DPoP-bound tokens from a loopback token endpoint.
 */
class DPoPMcpAuthorizationTest {

    private McpLoopbackServer server;
    private McpSyncClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private DPoPTokenSource tokens(DPoPProofSigner signer) {
        return DPoPClientCredentials.builder(DPoPHttpClient.create(HttpClient.newHttpClient(), signer), server.tokenEndpoint())
                .client("test-client", "test-secret").build();
    }

    private McpSyncClient connect(DPoPMcpAuthorization dpop) {
        HttpClientStreamableHttpTransport transport = dpop.applyTo(
                HttpClientStreamableHttpTransport.builder(server.base().toString()).endpoint("/mcp")).build();
        client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
        return client;
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void listsAndCallsToolsWithDPoPBoundToken() throws Exception {
        server = new McpLoopbackServer(false);
        DPoPProofSigner signer = DPoPProofSigner.generate();
        McpSyncClient mcp = connect(DPoPMcpAuthorization.create(signer, tokens(signer)));

        mcp.initialize();
        assertThat(mcp.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("echo");
        McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "hi")));

        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("echo: hi");
        assertThat(server.count("POST", 401)).isZero();
    }

    @Test
    void retriesOnceWithTheNonceOfAUseDPoPNonceChallenge() throws Exception {
        server = new McpLoopbackServer(true);
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPMcpAuthorization dpop = DPoPMcpAuthorization.create(signer, tokens(signer));
        McpSyncClient mcp = connect(dpop);

        mcp.initialize();
        McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "n")));

        assertThat(text(result)).isEqualTo("echo: n");
        // the first request had no nonce and was challenged; its replay and every later one carried the nonce
        assertThat(server.seen.get(0).status()).isEqualTo(401);
        assertThat(server.seen.get(0).wwwAuthenticate()).contains("use_dpop_nonce");
        assertThat(server.seen.get(1).hadNonce()).isTrue();
        assertThat(server.seen.get(1).status()).isEqualTo(200);
        assertThat(server.count("POST", 401)).isEqualTo(1);
        assertThat(dpop.nonce(server.base())).isPresent();
    }

    @Test
    void neverRetriesMoreThanOnceWhenEveryAnswerIsANonceChallenge() throws Exception {
        server = new McpLoopbackServer(true);
        server.alwaysChallenge = true;
        DPoPProofSigner signer = DPoPProofSigner.generate();
        McpSyncClient mcp = connect(DPoPMcpAuthorization.create(signer, tokens(signer)));

        assertThatThrownBy(mcp::initialize).isInstanceOf(RuntimeException.class);

        assertThat(server.count("POST", 401)).isEqualTo(2);
    }

    @Test
    void replacesAnInvalidTokenOnceAndSendsTheNewOne() throws Exception {
        server = new McpLoopbackServer(false);
        server.nextTokenLifetime = Duration.ofMinutes(-10);
        DPoPProofSigner signer = DPoPProofSigner.generate();
        McpSyncClient mcp = connect(DPoPMcpAuthorization.create(signer, tokens(signer)));

        mcp.initialize();

        assertThat(server.seen.get(0).status()).isEqualTo(401);
        assertThat(server.seen.get(0).wwwAuthenticate()).contains("invalid_token");
        assertThat(server.seen.get(1).status()).isEqualTo(200);
        assertThat(server.tokensIssued.get()).isEqualTo(2);
    }

    @Test
    void neverSendsATokenBoundToAnotherKey() throws Exception {
        server = new McpLoopbackServer(false);
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPTokenSource anotherKeysTokens = tokens(DPoPProofSigner.generate());
        McpSyncClient mcp = connect(DPoPMcpAuthorization.create(signer, anotherKeysTokens));

        assertThatThrownBy(mcp::initialize).isInstanceOf(RuntimeException.class);

        assertThat(server.seen).isEmpty();
    }

    @Test
    void toStringShowsTheThumbprintOnly() {
        DPoPProofSigner signer = DPoPProofSigner.generate();
        DPoPMcpAuthorization dpop = DPoPMcpAuthorization.create(signer, new DPoPTokenSource() {
            @Override
            public org.dpopj.client.DPoPAccessToken token() {
                throw new AssertionError("not called");
            }

            @Override
            public void invalidate() {
            }
        });

        assertThat(dpop.toString()).contains(signer.thumbprint()).doesNotContain("\"d\"");
    }
}
