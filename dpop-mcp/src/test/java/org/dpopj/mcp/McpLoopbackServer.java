package org.dpopj.mcp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.Proofs;
import org.dpopj.servlet.DPoPFilter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real MCP server on 127.0.0.1 for the adapter's tests: the SDK's streamable HTTP servlet transport
 * with one tool ({@code echo}) behind dpopj's {@link DPoPFilter} (tokens of a {@link LoopbackIssuer},
 * audience {@value LoopbackIssuer#AUDIENCE}, nonces as asked), in Jetty; plus a small DPoP token
 * endpoint ({@code POST /token}, client credentials, any client) that checks the proof with dpop-core
 * and mints a token of the issuer bound to the proof's key. Every request to {@code /mcp} is recorded.
 */
final class McpLoopbackServer implements AutoCloseable {

    /** One request to /mcp as the server saw it. */
    record Seen(String method, int status, boolean hadNonce, String wwwAuthenticate) {
    }

    final LoopbackIssuer issuer = LoopbackIssuer.start();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** The lifetime of the next token /token mints; negative mints an expired token. */
    volatile Duration nextTokenLifetime = Duration.ofMinutes(5);
    /** When set, /mcp answers every request with a nonce challenge carrying a fresh nonce. */
    volatile boolean alwaysChallenge;
    /** The audience of the tokens /token mints; another one makes the MCP server refuse them. */
    volatile String tokenAudience = LoopbackIssuer.AUDIENCE;
    /** Every access token /token issued, for the key custody checks. */
    final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private final Map<String, String> codes = new java.util.concurrent.ConcurrentHashMap<>();

    private final Server jetty = new Server();
    private final ServerConnector connector = new ServerConnector(jetty);
    private final McpSyncServer mcp;

    McpLoopbackServer(boolean noncesRequired) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        mcp = McpServer.sync(transport).serverInfo("dpopj-test", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .toolCall(McpSchema.Tool.builder().name("echo").description("echoes its text")
                        .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string"))))
                        .build(),
                        (exchange, request) -> McpSchema.CallToolResult.builder()
                                .addTextContent("echo: " + request.arguments().get("text")).isError(false).build())
                .build();

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder recorder = new FilterHolder(new Recorder());
        recorder.setAsyncSupported(true);
        context.addFilter(recorder, "/mcp", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder dpop = new FilterHolder(new DPoPFilter());
        dpop.setAsyncSupported(true);
        dpop.setInitParameter("dpop.token.issuer", issuer.issuer());
        dpop.setInitParameter("dpop.token.jwks-uri", issuer.jwksUri().toString());
        dpop.setInitParameter("dpop.token.audience", LoopbackIssuer.AUDIENCE);
        dpop.setInitParameter(DPoPSettings.REPLAY_CACHE, "dpopj-mcp-test-" + System.nanoTime());
        if (noncesRequired) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            dpop.setInitParameter(DPoPSettings.NONCE_MODE, "required");
            dpop.setInitParameter(DPoPSettings.NONCE_SECRET, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }
        context.addFilter(dpop, "/mcp", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder mcpServlet = new ServletHolder(transport);
        mcpServlet.setAsyncSupported(true);
        context.addServlet(mcpServlet, "/mcp");
        context.addServlet(new ServletHolder(new TokenServlet()), "/token");
        context.addServlet(new ServletHolder(new AuthorizationServlet()), "/authorize");
        context.addServlet(new ServletHolder(new JsonServlet(() -> "{\"client_id\":\"example-client\"}", 201)), "/register");
        context.addServlet(new ServletHolder(new JsonServlet(() -> "{\"resource\":\"" + base() + "/mcp\","
                + "\"authorization_servers\":[\"" + base() + "\"],\"scopes_supported\":[\"tools\"]}", 200)),
                "/.well-known/oauth-protected-resource/mcp");
        context.addServlet(new ServletHolder(new JsonServlet(() -> "{\"issuer\":\"" + base() + "\","
                + "\"authorization_endpoint\":\"" + base() + "/authorize\",\"token_endpoint\":\"" + base() + "/token\","
                + "\"registration_endpoint\":\"" + base() + "/register\",\"code_challenge_methods_supported\":[\"S256\"]}", 200)),
                "/.well-known/oauth-authorization-server");
        jetty.setHandler(context);
        jetty.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    URI tokenEndpoint() {
        return base().resolve("/token");
    }

    long count(String method, int status) {
        return seen.stream().filter(s -> s.method().equals(method) && s.status() == status).count();
    }

    @Override
    public void close() throws Exception {
        try {
            mcp.closeGracefully();
            jetty.stop();
        } finally {
            issuer.close();
        }
    }

    private final class Recorder implements Filter {
        private final AtomicInteger challenges = new AtomicInteger();

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            boolean hadNonce = hasNonce(request.getHeader("DPoP"));
            if (alwaysChallenge) {
                response.setHeader("DPoP-Nonce", "always-" + challenges.incrementAndGet());
                response.setHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", algs=\"ES256\"");
                response.setStatus(401);
            } else {
                chain.doFilter(req, res);
            }
            seen.add(new Seen(request.getMethod(), response.getStatus(), hadNonce, response.getHeader("WWW-Authenticate")));
        }

        private boolean hasNonce(String proof) {
            if (proof == null || proof.split("\\.").length != 3) {
                return false;
            }
            String claims = new String(Base64.getUrlDecoder().decode(proof.split("\\.")[1]), StandardCharsets.UTF_8);
            return claims.contains("\"nonce\"");
        }
    }

    /** An authorization endpoint without a login page: a code bound to dpop_jkt, redirected at once. */
    private final class AuthorizationServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            String code = "code-" + System.nanoTime();
            codes.put(code, String.valueOf(request.getParameter("dpop_jkt")));
            response.setStatus(302);
            response.setHeader("Location", request.getParameter("redirect_uri") + "?code=" + code
                    + "&state=" + request.getParameter("state"));
        }
    }

    /** A fixed JSON document. */
    private static final class JsonServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient java.util.function.Supplier<String> body;
        private final int status;

        JsonServlet(java.util.function.Supplier<String> body, int status) {
            this.body = body;
            this.status = status;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setStatus(status);
            response.setContentType("application/json");
            response.getWriter().write(body.get());
        }
    }

    /** Client credentials for anyone, or a code of /authorize, a proof required: real bound tokens. */
    private final class TokenServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient DPoPValidator validator = DPoPValidator.builder().tokenEndpointOnly()
                .replayStore(new Proofs.MapReplayStore()).tokenRequestReplayStore(new Proofs.MapReplayStore()).build();

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            DPoPResult proof;
            try {
                proof = validator.validateTokenRequest(DPoPRequest.builder()
                        .method("POST").targetUri(request.getRequestURL().toString())
                        .dpopHeaders(Collections.list(request.getHeaders("DPoP"))).build(), "test-client");
            } catch (DPoPException e) {
                response.setStatus(400);
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"invalid_dpop_proof\"}");
                return;
            }
            String jkt = proof.binding().orElseThrow().thumbprint();
            if ("authorization_code".equals(request.getParameter("grant_type"))) {
                String boundTo = codes.remove(String.valueOf(request.getParameter("code")));
                if (!jkt.equals(boundTo)) {
                    response.setStatus(400);
                    response.setContentType("application/json");
                    response.getWriter().write("{\"error\":\"invalid_grant\"}");
                    return;
                }
            }
            String token = issuer.accessToken().boundTo(jkt).audience(tokenAudience)
                    .scope("tools").lifetime(nextTokenLifetime).jwt();
            nextTokenLifetime = Duration.ofMinutes(5);
            tokensIssued.incrementAndGet();
            issuedTokens.add(token);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write("{\"access_token\":\"" + token + "\",\"token_type\":\"DPoP\",\"expires_in\":300}");
        }
    }
}
