package org.dpopj.it.leaks.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.http.DPoPAttributes;

/**
 * Behind the web.xml filters ({@code /servlet/*}: the application's validator; {@code /nonce/*}: nonces required;
 * {@code /introspection/*}: opaque tokens by introspection): answers the thumbprint only.
 */
@WebServlet({"/servlet/*", "/nonce/*", "/introspection/*"})
public class GuardedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object binding = request.getAttribute(DPoPAttributes.BINDING);
        response.setContentType("text/plain");
        response.getWriter().print("ok jkt=" + (binding instanceof DPoPBinding b ? b.thumbprint() : "-"));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
