package org.dpopj.it.payara.mpjwt;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * MP-JWT endpoints: {@code /api/bearer/me} behind {@code BoundBearerFilter}, {@code /api/unguarded/me}
 * without it (what MP-JWT alone does with a DPoP-bound token).
 */
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
@Path("")
public class BearerResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @Path("bearer/me")
    public String guarded() {
        return "bearer caller=" + jwt.getName();
    }

    /** Which implementation's token a Bearer endpoint gets beside dpop-cdi's bean. */
    @GET
    @Path("bearer/groups")
    public String groups() {
        return "bearer groups=" + jwt.getGroups();
    }

    @GET
    @Path("unguarded/me")
    public String unguarded() {
        return "bearer caller=" + jwt.getName();
    }
}
