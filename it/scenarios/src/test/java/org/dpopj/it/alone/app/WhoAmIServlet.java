package org.dpopj.it.alone.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Behind the web.xml DPoPFilter, with no CDI: prints the caller the filter established. */
@WebServlet("/servlet/whoami")
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("principal=" + request.getUserPrincipal().getName() + " auth=" + request.getAuthType());
    }
}
