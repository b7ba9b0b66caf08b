package org.dpopj.it.rs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.dpopj.jaxrs.DPoPRequired;

/** Scopes on the class; a method annotation replaces them. */
@Path("scoped-class")
@DPoPRequired(scopes = {"read", "orders"})
@Produces(MediaType.TEXT_PLAIN)
public class ScopedClassResource {

    @GET
    public String get() {
        return "scoped-class";
    }

    @GET
    @Path("relaxed")
    @DPoPRequired
    public String relaxed() {
        return "relaxed";
    }
}
