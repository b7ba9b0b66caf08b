package org.dpopj.it.security.app;

import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** MicroProfile JWT code behind the mechanism: the token reports the caller the container was told of. */
@Path("caller/token")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class CallerTokenResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @RolesAllowed("orders.read")
    public String token() {
        JsonObject cnf = jwt.getClaim("cnf");
        return "name=" + jwt.getName() + " groups=" + new TreeSet<>(jwt.getGroups()) + " jkt=" + cnf.getString("jkt");
    }
}
