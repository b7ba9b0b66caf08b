package org.dpopj.it.rs.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.dpopj.cdi.DPoPContext;
import org.dpopj.jaxrs.DPoPRequired;

/** {@code @DPoPRequired} on single methods, with and without scopes; the other methods are open. */
@Path("method")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class MethodProtectedResource {

    @Inject
    DPoPContext dpop;

    @GET
    @Path("open")
    public String open() {
        return "open bound=" + dpop.binding().isPresent();
    }

    @GET
    @Path("protected")
    @DPoPRequired
    public String protectedMethod() {
        return BindingText.of("jaxrs-method", dpop.binding().orElseThrow());
    }

    @POST
    @Path("form")
    @DPoPRequired
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String form(@FormParam("item") String item) {
        return "item=" + item;
    }

    @GET
    @Path("write")
    @DPoPRequired(scopes = "write")
    public String write() {
        return BindingText.of("jaxrs-method-write", dpop.binding().orElseThrow());
    }
}
