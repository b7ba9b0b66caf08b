package org.dpopj.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.dpopj.mcp.example.McpClientExample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example MCP client, run in-process against the loopback MCP server and its small
 * authorization server (well-known discovery, registration, a code flow without login page, nonces
 * required by the MCP server).
 */
class McpClientExampleTest {

    private McpLoopbackServer server;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = new McpLoopbackServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int run(String... args) {
        return McpClientExample.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitsZeroAfterDiscoveringRegisteringAuthorizingAndCallingATool() {
        int status = run("--tool", "echo", "--arguments", "{\"text\":\"from the example\"}", server.base() + "/mcp");

        assertThat(status).as(printed()).isZero();
        assertThat(printed()).contains("echo: from the example").contains("PASS");
        assertThat(server.seen.get(0).status()).isEqualTo(401);
    }

    @Test
    void exitsNonZeroWhenTheMcpServerRefusesTheToken() {
        server.tokenAudience = "https://another-resource.example";

        int status = run(server.base() + "/mcp");

        assertThat(status).isEqualTo(1);
        assertThat(printed()).contains("FAIL at MCP initialize").contains("401 invalid_token");
    }

    @Test
    void exitsTwoWithoutAServerUrl() {
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void neitherTheExampleNorTheSdkAtTraceLevelPrintsATokenOrAProof() {
        // the SDK logs through slf4j-simple to System.err, at trace for io.modelcontextprotocol (simplelogger.properties)
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            run("--tool", "echo", "--arguments", "{\"text\":\"x\"}", server.base() + "/mcp");
            server.alwaysChallenge = true;
            run(server.base() + "/mcp");
        } finally {
            System.setErr(err);
        }
        String everything = printed() + logged.toString(StandardCharsets.UTF_8);

        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("Sending message");
        assertThat(server.issuedTokens).isNotEmpty();
        for (String token : server.issuedTokens) {
            assertThat(everything).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        assertThat(everything).doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.");
    }
}
