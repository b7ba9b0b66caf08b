package org.dpopj.demo.api;

import java.io.StringReader;
import java.net.URI;
import java.util.TreeSet;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.dpopj.cdi.DPoPContext;
import org.dpopj.jaxrs.DPoPRequired;

/**
 * {@code /api/orders}: a small API protected with {@link DPoPRequired}. Reading needs the scope
 * {@code orders.read}, ordering {@code orders.write}; the DPoP filter has checked the proof, the
 * token and the binding before a method runs.
 */
@Path("orders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final int MAX_ITEM_LENGTH = 100;
    private static final int MAX_BODY_LENGTH = 4096;

    @Inject
    private OrderBook book;

    @Context
    private SecurityContext security;

    @Inject
    private DPoPContext dpop;

    /** @return the caller, the key it proved, and the orders */
    @GET
    @DPoPRequired(scopes = "orders.read")
    public Response list() {
        JsonArrayBuilder orders = Json.createArrayBuilder();
        book.list().forEach(order -> orders.add(json(order)));
        return Response.ok(caller().add("orders", orders).build().toString()).build();
    }

    /**
     * @param body optional JSON {@code {"item": "..", "quantity": n}}; an empty body orders one coffee
     * @return 201 with the order
     */
    @POST
    @DPoPRequired(scopes = "orders.write")
    public Response order(String body) {
        String item = "coffee";
        int quantity = 1;
        if (body != null && !body.isBlank()) {
            if (body.length() > MAX_BODY_LENGTH) {
                return invalid("The body is too large");
            }
            JsonObject order;
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                JsonValue value = reader.readValue();
                if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                    return invalid("The body must be a JSON object");
                }
                order = value.asJsonObject();
            } catch (JsonException | IllegalStateException e) {
                return invalid("The body is not valid JSON");
            }
            if (order.get("item") instanceof JsonString text) {
                item = text.getString();
            } else if (order.containsKey("item")) {
                return invalid("item must be a string");
            }
            if (order.get("quantity") instanceof JsonNumber number && number.isIntegral()) {
                quantity = number.intValue();
            } else if (order.containsKey("quantity")) {
                return invalid("quantity must be an integer");
            }
            if (item.isBlank() || item.length() > MAX_ITEM_LENGTH || quantity < 1 || quantity > 1000) {
                return invalid("item must be 1 to 100 characters and quantity 1 to 1000");
            }
        }
        OrderBook.Order created = book.add(item, quantity, security.getUserPrincipal().getName());
        return Response.created(URI.create("orders/" + created.id()))
                .entity(caller().add("order", json(created)).build().toString())
                .build();
    }

    private JsonObjectBuilder caller() {
        JsonObjectBuilder caller = Json.createObjectBuilder()
                .add("caller", security.getUserPrincipal().getName())
                .add("auth_type", String.valueOf(security.getAuthenticationScheme()));
        dpop.result().ifPresent(result -> caller.add("scope", String.join(" ", new TreeSet<>(result.scopes()))));
        dpop.binding().ifPresent(binding -> caller.add("jkt", binding.thumbprint()));
        return caller;
    }

    private static JsonObjectBuilder json(OrderBook.Order order) {
        return Json.createObjectBuilder()
                .add("id", order.id())
                .add("item", order.item())
                .add("quantity", order.quantity())
                .add("owner", order.owner())
                .add("created", order.created().toString());
    }

    private static Response invalid(String description) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(JsonExceptionMapper.error("invalid_request", description))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
