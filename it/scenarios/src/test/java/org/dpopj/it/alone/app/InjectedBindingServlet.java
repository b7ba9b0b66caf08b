package org.dpopj.it.alone.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.dpopj.core.DPoPBinding;

/** Behind the web.xml DPoPFilter, with dpop-cdi and no Jakarta REST: prints the injected binding's key. */
@WebServlet("/cdi/binding")
public class InjectedBindingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient DPoPBinding binding;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("jkt=" + binding.thumbprint() + " principal=" + request.getUserPrincipal().getName());
    }
}
