package org.dpopj.it.wildfly.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Behind the DPoP filters of the cluster WAR: answers which node served the request, and for whom. */
@WebServlet({"/api/*", "/nonce/*"})
public class ClusterEchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("node=" + System.getProperty("jboss.node.name")
                + " principal=" + request.getUserPrincipal().getName());
    }
}
