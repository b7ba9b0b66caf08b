package org.dpopj.it.payara.mechanism;

import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** One resource for both mechanisms: only {@code @RolesAllowed}, no {@code @DPoPRequired}. */
@Path("caller")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class CallerResource {

    @Inject
    SecurityContext security;

    @Inject
    JsonWebToken jwt;

    @GET
    @RolesAllowed("orders.read")
    public String caller() {
        JsonObject cnf = jwt.getClaim("cnf");
        return "caller=" + security.getCallerPrincipal().getName()
                + " principal=" + security.getCallerPrincipal().getClass().getSimpleName()
                + " inRole=" + security.isCallerInRole("orders.read")
                + " jwt=" + jwt.getName() + " groups=" + new TreeSet<>(jwt.getGroups())
                + " jkt=" + (cnf == null ? null : cnf.getString("jkt"));
    }
}
