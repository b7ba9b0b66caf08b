package org.dpopj.it.rs.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.dpopj.core.DPoPBinding;
import org.dpopj.jaxrs.DPoPRequired;

/** {@code @DPoPRequired} on the class: every method is protected; the binding is injected by CDI. */
@Path("class")
@DPoPRequired
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class ClassProtectedResource {

    @Inject
    DPoPBinding binding;

    @Context
    SecurityContext security;

    @Context
    UriInfo uriInfo;

    /** The same line as the servlet's BindingServlet, and the thumbprint as {@code X-Jkt} (also on HEAD). */
    @GET
    public Response get() {
        return Response.ok(BindingText.of("jaxrs-class", binding) + " principal=" + security.getUserPrincipal().getName()
                + " auth=" + security.getAuthenticationScheme() + " query=" + uriInfo.getRequestUri().getRawQuery())
                .header("X-Jkt", binding.thumbprint()).build();
    }

    @GET
    @Path("other")
    public String other() {
        return BindingText.of("jaxrs-class-other", binding);
    }
}
