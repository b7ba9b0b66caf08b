package org.dpopj.mcp.example;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapperSupplier;
import io.modelcontextprotocol.spec.McpSchema;

import org.dpopj.client.AuthorizationServerMetadata;
import org.dpopj.client.DPoPAuthorizationCode;
import org.dpopj.client.DPoPClientRegistration;
import org.dpopj.client.DPoPDiscovery;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.DPoPTokens;
import org.dpopj.client.ProtectedResourceMetadata;
import org.dpopj.client.RegisteredClient;
import org.dpopj.mcp.DPoPMcpAuthorization;

/**
 * A runnable MCP client that gets everything it needs from the MCP server's URL alone, with DPoP
 * from end to end:
 * <ol>
 * <li>asks the server without a token and reads the protected resource metadata (RFC 9728) named by
 *     the {@code 401}'s {@code resource_metadata}, or from the well-known URL;</li>
 * <li>reads the authorization server's metadata (RFC 8414);</li>
 * <li>registers as a public client (RFC 7591);</li>
 * <li>authorizes with the code flow, PKCE S256 and {@code dpop_jkt} (RFC 9449 §10), following the
 *     authorization server's redirect itself (so it needs one that answers without a login page), and
 *     redeems the code for a DPoP-bound token, retrying once with the AS's nonce when asked;</li>
 * <li>initialises an MCP session over the SDK's streamable HTTP transport with
 *     {@link DPoPMcpAuthorization} (a proof per request, the server's nonce retried once), lists the
 *     tools and calls one.</li>
 * </ol>
 *
 * <pre>
 * java -jar dpop-mcp/target/dpop-mcp-example.jar [--scope S] [--tool NAME] [--arguments JSON]
 *      [--redirect-uri URI] https://mcp.example.com/mcp
 * </pre>
 *
 * <p>Exit status 0 only when every step succeeded and the tool answered without {@code isError}; 1
 * when a step failed (the step and the reason are printed); 2 on a usage error. It prints the steps,
 * endpoints and the key's thumbprint, never a token, proof, code, verifier or key. A command-line
 * program; not thread-safe.
 */
public final class McpClientExample {

    private static final String USAGE = "usage: McpClientExample [--scope S] [--tool NAME] [--arguments JSON]"
            + " [--redirect-uri URI] <mcp-server-url>";
    private static final int MAX_PRINTED = 600;
    private static final Pattern CHALLENGE_ERROR = Pattern.compile("(?i)\\berror=\"?([A-Za-z_]{1,64})");

    private final PrintStream out;
    private String step = "arguments";

    private McpClientExample(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the flow and exits with its status.
     *
     * @param args options and the MCP server's URL, last
     */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out));
    }

    /**
     * Runs the flow.
     *
     * @param args options and the MCP server's URL, last
     * @param out where the steps are printed
     * @return 0 when every step succeeded, 1 when one failed, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        McpClientExample example = new McpClientExample(out);
        try {
            return example.flow(options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("FAIL at " + example.step + ": interrupted");
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println("FAIL at " + example.step + ": " + describe(e));
            return 1;
        }
    }

    private int flow(Options options) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        DPoPProofSigner signer = DPoPProofSigner.generate();
        out.println("key         " + signer);

        step = "protected resource discovery (RFC 9728)";
        DPoPDiscovery discovery = DPoPDiscovery.create(http, signer);
        HttpResponse<Void> challenge = http.send(HttpRequest.newBuilder(options.server).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initializeRequest(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding());
        ProtectedResourceMetadata resource = discovery.protectedResource(options.server, challenge);
        out.println("resource    " + resource.resource() + " (unauthenticated request: " + challenge.statusCode()
                + (DPoPDiscovery.resourceMetadataUrl(challenge).isPresent() ? ", resource_metadata named" : ", well-known URL") + ")");
        if (resource.authorizationServers().isEmpty()) {
            throw new IOException("The resource metadata names no authorization server");
        }

        step = "authorization server metadata (RFC 8414)";
        AuthorizationServerMetadata as = discovery.authorizationServer(resource.authorizationServers().get(0));
        out.println("issuer      " + as.issuer());

        step = "dynamic client registration (RFC 7591)";
        URI registrationEndpoint = as.registrationEndpoint()
                .orElseThrow(() -> new IOException("The authorization server has no registration_endpoint"));
        String scope = options.scope != null ? options.scope
                : resource.scopes().isEmpty() ? null : String.join(" ", resource.scopes());
        DPoPClientRegistration.Builder registration = DPoPClientRegistration.builder(http, registrationEndpoint)
                .clientName("dpopj MCP example").redirectUri(options.redirectUri);
        if (scope != null) {
            registration.scope(scope);
        }
        RegisteredClient client = registration.build().register();
        out.println("registered  " + client.clientId());

        step = "authorization code + PKCE + dpop_jkt (RFC 6749, 7636, 9449 §10)";
        DPoPHttpClient dpop = DPoPHttpClient.create(http, signer);
        DPoPAuthorizationCode.Builder code = DPoPAuthorizationCode.builder(dpop, as, client.clientId(), options.redirectUri)
                .resource(resource.resource());
        if (scope != null) {
            code.scope(scope);
        }
        DPoPTokens tokens = code.build().authorize(http);
        out.println("token       " + tokens.current().map(Object::toString).orElse("-")
                + (dpop.authorizationServerNonce(as.tokenEndpoint()).isPresent() ? " (with the AS's DPoP-Nonce)" : ""));

        step = "MCP initialize";
        DPoPMcpAuthorization authorization = DPoPMcpAuthorization.create(signer, tokens);
        String origin = options.server.getScheme() + "://" + options.server.getRawAuthority();
        String endpoint = (options.server.getRawPath() == null || options.server.getRawPath().isEmpty() ? "/" : options.server.getRawPath())
                + (options.server.getRawQuery() == null ? "" : "?" + options.server.getRawQuery());
        McpJsonMapper json = new JacksonMcpJsonMapperSupplier().get();
        HttpClientStreamableHttpTransport transport = authorization.applyTo(HttpClientStreamableHttpTransport.builder(origin)
                .endpoint(endpoint).jsonMapper(json).connectTimeout(Duration.ofSeconds(10))).build();
        McpSyncClient mcp = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("dpopj-mcp-example", "1.0"))
                .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(30)).build();
        try {
            McpSchema.InitializeResult initialized = mcp.initialize();
            out.println("initialized " + initialized.serverInfo().name() + " " + initialized.serverInfo().version()
                    + (authorization.nonce(options.server).isPresent() ? " (with the server's DPoP-Nonce)" : ""));

            step = "MCP tools/list";
            List<McpSchema.Tool> tools = mcp.listTools().tools();
            out.println("tools       " + tools.stream().map(McpSchema.Tool::name).toList());

            step = "MCP tools/call";
            McpSchema.Tool tool = choose(tools, options.tool);
            Map<String, Object> arguments = options.arguments == null ? Map.of()
                    : json.readValue(options.arguments, new TypeRef<Map<String, Object>>() { });
            McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest(tool.name(), arguments));
            out.println("called      " + tool.name() + ": " + printable(result));
            if (Boolean.TRUE.equals(result.isError())) {
                out.println("FAIL at " + step + ": the tool answered with isError");
                return 1;
            }
        } finally {
            mcp.closeGracefully();
        }
        out.println("PASS: discovered, registered, authorized and called " + options.server + " with DPoP");
        return 0;
    }

    /** @return the named tool, or the first that needs no arguments */
    private static McpSchema.Tool choose(List<McpSchema.Tool> tools, String name) throws IOException {
        for (McpSchema.Tool tool : tools) {
            if (name != null ? tool.name().equals(name)
                    : !(tool.inputSchema() != null && tool.inputSchema().get("required") instanceof List<?> required && !required.isEmpty())) {
                return tool;
            }
        }
        throw new IOException(name != null ? "The server has no tool " + name : "The server has no tool without required arguments: use --tool");
    }

    private static String printable(McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent textContent) {
                text.append(textContent.text());
            }
        }
        String printable = text.toString().replaceAll("\\p{Cntrl}", " ");
        return printable.length() > MAX_PRINTED ? printable.substring(0, MAX_PRINTED) + " ..." : printable;
    }

    private static String initializeRequest() {
        return "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"dpopj-mcp-example\",\"version\":\"1.0\"}}}";
    }

    /** @return the exception's type and message, and its cause's: never a stack trace */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        Deque<Throwable> seen = new ArrayDeque<>();
        for (Throwable t = e; t != null && seen.size() < 4 && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t instanceof McpHttpClientTransportAuthorizationException refused && refused.getResponseInfo() != null) {
                // the status and the challenge's error code, which name why the token was refused
                text.append(" (").append(refused.getResponseInfo().statusCode());
                refused.getResponseInfo().headers().allValues("WWW-Authenticate").stream()
                        .map(challenge -> CHALLENGE_ERROR.matcher(challenge))
                        .filter(java.util.regex.Matcher::find)
                        .findFirst()
                        .ifPresent(error -> text.append(' ').append(error.group(1)));
                text.append(')');
            }
        }
        return text.toString().replaceAll("\\p{Cntrl}", " ");
    }

    /** The command line. */
    private record Options(URI server, String scope, String tool, String arguments, URI redirectUri) {

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("The MCP server's URL is missing");
            }
            String scope = null;
            String tool = null;
            String arguments = null;
            URI redirectUri = URI.create("http://127.0.0.1:8765/callback");
            for (int i = 0; i < args.length - 1; i += 2) {
                if (i + 1 >= args.length - 1) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value, before the URL");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--scope" -> scope = value;
                    case "--tool" -> tool = value;
                    case "--arguments" -> arguments = value;
                    case "--redirect-uri" -> redirectUri = URI.create(value);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            URI server;
            try {
                server = URI.create(args[args.length - 1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The MCP server's URL is not a URL");
            }
            if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme()) || server.getHost() == null) {
                throw new IllegalArgumentException("The MCP server's URL must be an http(s) URL");
            }
            return new Options(server, scope, tool, arguments, redirectUri);
        }
    }
}
