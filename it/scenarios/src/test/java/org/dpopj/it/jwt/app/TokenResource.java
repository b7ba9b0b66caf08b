package org.dpopj.it.jwt.app;

import java.util.TreeSet;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dpopj.jaxrs.DPoPRequired;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Existing MicroProfile JWT code on a DPoP endpoint: it injects {@code JsonWebToken} and reads the
 * caller, the groups and claims as it would behind MP-JWT.
 */
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
@Path("")
public class TokenResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @Path("dpop/token")
    @DPoPRequired
    public String token() {
        return describe(jwt);
    }

    @GET
    @Path("open/token")
    public String open() {
        return "name=" + jwt.getName() + " claims=" + jwt.getClaimNames().size();
    }

    /** What MP-JWT code typically reads, in one line; shared with the other JsonWebToken scenarios. */
    public static String describe(JsonWebToken jwt) {
        JsonObject cnf = jwt.getClaim("cnf");
        Object tenant = jwt.getClaim("tenant");
        return "name=" + jwt.getName()
                + " subject=" + jwt.getSubject()
                + " groups=" + new TreeSet<>(jwt.getGroups())
                + " tenant=" + tenant
                + " jkt=" + (cnf == null ? null : cnf.getString("jkt"))
                + " issuer=" + jwt.getIssuer()
                + " expires=" + (jwt.getExpirationTime() > 0)
                + " raw=" + jwt.getRawToken();
    }
}
