package org.dpopj.it.security.app;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.dpopj.core.DPoPBinding;

/** What the container knows of the caller, through each of its APIs; only the mechanism tells it. */
@Path("caller")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class CallerResource {

    @Inject
    SecurityContext security;

    @Inject
    Instance<DPoPBinding> binding;

    @Inject
    OrdersBean orders;

    @Context
    HttpServletRequest request;

    @GET
    @Path("reader")
    @RolesAllowed("orders.read")
    public String reader() {
        return "caller=" + security.getCallerPrincipal().getName()
                + " callerInRole=" + security.isCallerInRole("orders.read")
                + " callerInAdmin=" + security.isCallerInRole("admin")
                + " remoteUser=" + request.getRemoteUser()
                + " userInRole=" + request.isUserInRole("orders.read")
                + " jkt=" + binding.get().thumbprint();
    }

    @GET
    @Path("admin")
    @RolesAllowed("admin")
    public String admin() {
        return "admin caller=" + security.getCallerPrincipal().getName();
    }

    @GET
    @Path("ejb")
    @PermitAll
    public String ejb() {
        return orders.reader();
    }

    @GET
    @Path("ejb-admin")
    @PermitAll
    public String ejbAdmin() {
        return orders.admin();
    }

    @GET
    @Path("open")
    public String open() {
        return "remoteUser=" + request.getRemoteUser();
    }
}
