package org.dpopj.it.client.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.http.DPoPAttributes;

/** Behind the filters of DPoPClientIT's WAR: answers who called, with which key, for which htu. */
@WebServlet({"/plain/*", "/nonce/*", "/proxy/*"})
public class ClientEchoServlet extends HttpServlet {

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
