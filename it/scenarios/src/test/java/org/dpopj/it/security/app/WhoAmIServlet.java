package org.dpopj.it.security.app;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPBinding;

/** Behind web.xml security constraints (under /web/ also a DPoPFilter): what the servlet API says of the caller. */
@WebServlet({"/web/whoami", "/web/admin/whoami", "/constrained/whoami", "/own/whoami"})
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient SecurityContext security;

    @Inject
    transient DPoPBinding binding;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("remoteUser=" + request.getRemoteUser()
                + " userInRole=" + request.isUserInRole("orders.read")
                + " caller=" + security.getCallerPrincipal().getName()
                + " callerInRole=" + security.isCallerInRole("orders.read")
                + " jkt=" + binding.thumbprint());
    }
}
