package org.dpopj.demo.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page of every status and exception (web.xml): a short JSON error and the status, never the
 * server's HTML page, an exception message or a stack trace. Headers already set (such as
 * {@code WWW-Authenticate} or {@code Allow}) are kept by the container. Thread-safe.
 */
@WebServlet(urlPatterns = "/error")
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ErrorPageServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer code && code >= 400 && code < 600 ? code : 404;
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (exception instanceof Throwable thrown) {
            // the type only: a message could quote request content
            LOG.log(System.Logger.Level.WARNING, "dpopj demo: request failed with " + thrown.getClass().getName());
            status = 500;
        }
        if (response.containsHeader("WWW-Authenticate")) {
            // an authentication challenge: its error, if any, is in the header (RFC 6750 §3.1)
            response.setStatus(status);
            response.setContentLength(0);
            return;
        }
        JsonResponses.writeError(response, status, JsonResponses.errorName(status), "HTTP " + status);
    }
}
