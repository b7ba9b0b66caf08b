package org.dpopj.it.security.app;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

/** An enterprise bean whose methods the EJB container guards with the caller's roles. */
@Stateless
public class OrdersBean {

    @Resource
    SessionContext session;

    @RolesAllowed("orders.read")
    public String reader() {
        return "ejb caller=" + session.getCallerPrincipal().getName() + " inRole=" + session.isCallerInRole("orders.read");
    }

    @RolesAllowed("admin")
    public String admin() {
        return "ejb admin caller=" + session.getCallerPrincipal().getName();
    }
}
