package org.dpopj.demo.mcp;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import org.dpopj.core.DPoPResult;
import org.dpopj.demo.api.OrderBook;

/**
 * The demo MCP server's tools: {@code list_orders} (the caller needs {@code orders.read}, which the
 * DPoP filter already demanded) and {@code place_order} ({@code item}, {@code quantity} 1-100; the
 * caller also needs {@code orders.write}, else the tool answers {@code isError} without placing
 * anything). Stateless; thread-safe as the order book is.
 */
final class OrderTools {

    private static final int MAX_ITEM = 64;

    private final OrderBook orders;
    private final McpJsonMapper json;

    OrderTools(OrderBook orders, McpJsonMapper json) {
        this.orders = orders;
        this.json = json;
    }

    SyncToolSpecification listOrders() {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("list_orders").title("List orders")
                .description("Lists the demo's orders, newest first (scope orders.read)")
                .inputSchema(Map.of("type", "object", "properties", Map.of()))
                .build();
        return new SyncToolSpecification(tool, (exchange, request) -> text(orders.list(), false));
    }

    SyncToolSpecification placeOrder() {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("place_order").title("Place an order")
                .description("Places an order for quantity pieces of item (scope orders.write)")
                .inputSchema(Map.of("type", "object",
                        "properties", Map.of(
                                "item", Map.of("type", "string", "maxLength", MAX_ITEM),
                                "quantity", Map.of("type", "integer", "minimum", 1, "maximum", 100)),
                        "required", List.of("item", "quantity")))
                .build();
        return new SyncToolSpecification(tool, this::place);
    }

    private McpSchema.CallToolResult place(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        DPoPResult caller = (DPoPResult) exchange.transportContext().get(McpSetup.DPOP_RESULT);
        if (caller == null || !caller.scopes().contains("orders.write")) {
            return error("place_order needs the scope orders.write");
        }
        Object item = request.arguments() == null ? null : request.arguments().get("item");
        Object quantity = request.arguments() == null ? null : request.arguments().get("quantity");
        if (!(item instanceof String name) || name.isBlank() || name.length() > MAX_ITEM
                || !(quantity instanceof Number count) || count.intValue() < 1 || count.intValue() > 100
                || count.doubleValue() != count.intValue()) {
            return error("item (1-64 characters) and quantity (1-100) are required");
        }
        return text(orders.add(name, count.intValue(), caller.subject().orElse("unknown")), false);
    }

    private McpSchema.CallToolResult text(Object value, boolean isError) {
        try {
            return McpSchema.CallToolResult.builder().addTextContent(json.writeValueAsString(value)).isError(isError).build();
        } catch (IOException e) {
            return error("cannot write the result");
        }
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
