package org.dpopj.it.modes.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Unprotected: the request URL as the container sees it (some containers apply forwarded headers themselves). */
@WebServlet("/container-view/*")
public class ContainerViewServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print(request.getRequestURL() + " remote=" + request.getRemoteAddr());
    }
}
