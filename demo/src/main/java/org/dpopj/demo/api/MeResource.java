package org.dpopj.demo.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.security.enterprise.SecurityContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dpopj.core.DPoPBinding;

/**
 * {@code /api/me}: protected the Jakarta EE way, with {@code @RolesAllowed} and no dpopj annotation.
 * dpop-security's authentication mechanism has validated the DPoP request and told the container the
 * caller; its groups are the token's scopes, so only a token with {@code orders.write} gets in.
 */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    private SecurityContext security;

    @Inject
    private DPoPBinding binding;

    /** @return the caller as the container knows it, and the key it proved */
    @GET
    @RolesAllowed("orders.write")
    public String me() {
        return Json.createObjectBuilder()
                .add("caller", security.getCallerPrincipal().getName())
                .add("writer", security.isCallerInRole("orders.write"))
                .add("jkt", binding.thumbprint())
                .build().toString();
    }
}
