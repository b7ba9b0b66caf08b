package org.dpopj.it.payara.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Behind the DPoPFilters whose replay store is Payara's Hazelcast (/nonce/* also requires server nonces). */
@WebServlet({"/hz/*", "/nonce/*"})
public class HzEchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("principal=" + request.getUserPrincipal().getName());
    }
}
