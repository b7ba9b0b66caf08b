package org.dpopj.demo.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.http.ProtectedResourceMetadata;
import org.dpopj.demo.DemoConfig;

/**
 * {@code GET /.well-known/oauth-protected-resource/mcp}: the RFC 9728 metadata of the demo's MCP
 * server, a resource of its own ({@link DemoConfig#mcpResource()}) beside the orders API, so that an
 * MCP client that checks {@code resource} against the URL it called (RFC 9728 §3.3) accepts it. The
 * {@code dpop-mcp} filter's challenges name this URL in {@code resource_metadata}. Built once; thread-safe.
 */
final class McpResourceMetadataServlet extends HttpServlet {

    static final String PATH = ProtectedResourceMetadata.WELL_KNOWN + "/mcp";
    private static final long serialVersionUID = 1L;

    private final byte[] document;

    McpResourceMetadataServlet(DemoConfig config) {
        DPoPSettings settings = config.dpopSettings(Map.of(
                DPoPSettings.METADATA_RESOURCE, config.mcpResource(),
                DPoPSettings.METADATA_URI, config.baseUri() + PATH,
                DPoPSettings.METADATA_RESOURCE_NAME, "dpopj demo MCP server"));
        this.document = ProtectedResourceMetadata.fromSettings(settings).orElseThrow().toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "max-age=300");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }
}
