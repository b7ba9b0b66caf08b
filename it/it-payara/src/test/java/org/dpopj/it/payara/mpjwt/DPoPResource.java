package org.dpopj.it.payara.mpjwt;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.dpopj.core.DPoPBinding;
import org.dpopj.jaxrs.DPoPRequired;

/** A DPoP endpoint of the same application, through dpop-jaxrs. */
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
@Path("dpop")
@DPoPRequired
public class DPoPResource {

    @Inject
    DPoPBinding binding;

    @GET
    @Path("me")
    public String me(@Context SecurityContext security) {
        return "dpop caller=" + security.getUserPrincipal().getName() + " jkt=" + binding.thumbprint();
    }
}
