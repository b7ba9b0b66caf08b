package org.dpopj.it.modes.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.http.DPoPAttributes;

/** Behind the filters of web.xml (ModesIT's WAR, and DPoPClientIT's): answers who the caller is and how. */
@WebServlet({"/mixed/*", "/nonce/*", "/proxy/*", "/both/*", "/plain/*"})
public class EchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object binding = request.getAttribute(DPoPAttributes.BINDING);
        response.setContentType("text/plain");
        response.getWriter().print("principal=" + request.getUserPrincipal().getName()
                + " auth=" + request.getAuthType()
                + " jkt=" + (binding instanceof DPoPBinding b ? b.thumbprint() : "-")
                + " htu=" + (binding instanceof DPoPBinding b ? b.htu() : "-"));
    }
}
