package org.dpopj.demo.mcp;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapperSupplier;
import io.modelcontextprotocol.json.schema.jackson3.JacksonJsonSchemaValidatorSupplier;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.demo.DemoConfig;
import org.dpopj.demo.api.OrderBook;
import org.dpopj.servlet.DPoPFilter;

/**
 * Starts the demo's MCP server: the MCP Java SDK's streamable HTTP servlet transport at {@code /mcp}
 * (behind a {@code DPoPFilter} named {@code dpop-mcp}, registered here, which requires DPoP-bound tokens with
 * {@code orders.read} and server nonces), with two tools over the demo's {@link OrderBook}:
 * {@code list_orders} and {@code place_order} (which also needs {@code orders.write}). The tools see the
 * filter's {@link DPoPResult} through the SDK's transport context. Also publishes the MCP server's own
 * RFC 9728 metadata ({@link McpResourceMetadataServlet}).
 *
 * <p>Declared in web.xml after {@code DemoSetup}. Stops the MCP server when the application stops.
 */
public class McpSetup implements ServletContextListener {

    private static final Logger LOG = System.getLogger(McpSetup.class.getName());
    static final String DPOP_RESULT = "dpop.result";

    @Inject
    private OrderBook orders;

    @Inject
    private DemoConfig config;

    private McpSyncServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        McpJsonMapper json = new JacksonMcpJsonMapperSupplier().get();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json)
                .mcpEndpoint("/mcp")
                .contextExtractor(request -> {
                    Map<String, Object> values = new HashMap<>();
                    if (request.getAttribute(DPoPResult.ATTRIBUTE) instanceof DPoPResult result) {
                        values.put(DPOP_RESULT, result);
                    }
                    return McpTransportContext.create(values);
                })
                .build();
        OrderTools tools = new OrderTools(orders, json);
        server = McpServer.sync(transport)
                .serverInfo("dpopj-demo-mcp", "1.0")
                .jsonMapper(json)
                .jsonSchemaValidator(new JacksonJsonSchemaValidatorSupplier().get())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(List.of(tools.listOrders(), tools.placeOrder()))
                .build();
        // the DPoP filter of /mcp: a validator of its own (nonces required, its own replay cache) whose
        // challenges name the MCP server's metadata; every other setting comes from the context parameters
        FilterRegistration.Dynamic dpop = context.addFilter("dpop-mcp", DPoPFilter.class);
        dpop.setAsyncSupported(true);
        dpop.setInitParameter(DPoPSettings.NONCE_MODE, "required");
        dpop.setInitParameter(DPoPSettings.REPLAY_CACHE, "dpopj-demo-mcp-replay");
        dpop.setInitParameter("dpop.scopes", "orders.read");
        dpop.setInitParameter(DPoPSettings.METADATA_RESOURCE, config.mcpResource());
        dpop.setInitParameter(DPoPSettings.METADATA_URI, config.baseUri() + McpResourceMetadataServlet.PATH);
        dpop.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/mcp");
        ServletRegistration.Dynamic mcp = context.addServlet("mcp", transport);
        mcp.setAsyncSupported(true);
        mcp.addMapping("/mcp");
        ServletRegistration.Dynamic metadata = context.addServlet("mcp-resource-metadata", new McpResourceMetadataServlet(config));
        metadata.addMapping(McpResourceMetadataServlet.PATH);
        LOG.log(Level.INFO, "dpopj demo: MCP server {0} (tools list_orders, place_order; DPoP with nonces), metadata {1}{2}",
                config.mcpResource(), config.baseUri(), McpResourceMetadataServlet.PATH);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.closeGracefully();
        }
    }
}
