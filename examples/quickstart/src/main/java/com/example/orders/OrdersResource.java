package com.example.orders;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.dpopj.jaxrs.DPoPRequired;

/** Answers only requests with a DPoP-bound access token, its proof, and the scope orders.read. */
@Path("/orders")
@DPoPRequired(scopes = "orders.read")
public class OrdersResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String list(@Context SecurityContext security) {
        return "orders of " + security.getUserPrincipal().getName() + "\n";
    }
}
