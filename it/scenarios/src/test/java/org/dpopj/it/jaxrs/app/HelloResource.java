package org.dpopj.it.jaxrs.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** No {@code @DPoPRequired}: only {@link FeatureApplication}'s DPoPFeature protects it. Prints the caller. */
@Path("hello")
@Produces(MediaType.TEXT_PLAIN)
public class HelloResource {

    @Context
    SecurityContext security;

    @GET
    public String hello() {
        return "principal=" + security.getUserPrincipal().getName() + " auth=" + security.getAuthenticationScheme();
    }
}
