package org.dpopj.it.payara.mpjwt;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.TreeSet;

import jakarta.json.JsonObject;

import org.dpopj.core.DPoPBinding;
import org.dpopj.jaxrs.DPoPRequired;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** A DPoP endpoint of the same application, through dpop-jaxrs; its JsonWebToken is dpop-cdi's. */
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
@Path("dpop")
@DPoPRequired
public class DPoPResource {

    @Inject
    DPoPBinding binding;

    @Inject
    JsonWebToken jwt;

    @GET
    @Path("me")
    public String me(@Context SecurityContext security) {
        return "dpop caller=" + security.getUserPrincipal().getName() + " jkt=" + binding.thumbprint();
    }

    /** MP-JWT code on the DPoP endpoint: dpop-cdi's token, although Payara's MP-JWT is active here. */
    @GET
    @Path("token")
    public String token() {
        JsonObject cnf = jwt.getClaim("cnf");
        return "dpop name=" + jwt.getName() + " groups=" + new TreeSet<>(jwt.getGroups()) + " jkt=" + cnf.getString("jkt");
    }
}
