package org.dpopj.it.leaks.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test-only and unprotected: {@code GET /audit-events} answers the recorded audit lines, one per line. */
@WebServlet("/audit-events")
public class AuditEventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient AuditEventRecorder recorder;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().print(String.join("\n", recorder.lines()));
    }
}
