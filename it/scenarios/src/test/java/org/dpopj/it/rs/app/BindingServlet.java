package org.dpopj.it.rs.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dpopj.core.DPoPBinding;

/** Behind the web.xml DPoPFilter: GET prints the CDI-injected binding, the principal and the query string; POST echoes the form's item. */
@WebServlet({"/servlet/binding", "/servlet-admin/binding"})
public class BindingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient DPoPBinding binding;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setHeader("X-Jkt", binding.thumbprint());
        response.getWriter().print(BindingText.of("servlet", binding)
                + " principal=" + request.getUserPrincipal().getName()
                + " auth=" + request.getAuthType()
                + " query=" + request.getQueryString());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("item=" + request.getParameter("item"));
    }
}
