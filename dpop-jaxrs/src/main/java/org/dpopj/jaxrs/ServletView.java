package org.dpopj.jaxrs;

import java.util.Optional;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.jaxrs.internal.JaxRsLifecycle;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.SettingsCascade;
import org.dpopj.servlet.internal.ValidatorBoard;

/**
 * The servlet request behind a Jakarta REST request, when there is one. Every access is guarded: a
 * runtime outside a servlet container injects nothing, or a proxy that throws. Confined to one request.
 */
final class ServletView {

    private final HttpServletRequest request;

    /** @param request the injected servlet request; may be {@code null} */
    ServletView(HttpServletRequest request) {
        this.request = request;
    }

    /** @return the servlet request when it can be used, else {@code null} */
    HttpServletRequest request() {
        return method() == null ? null : request;
    }

    /**
     * @return the method as it came over the wire, or {@code null} when unknown. Jersey answers HEAD with
     *     the GET resource method and then reports GET in the request context, so the context's method
     *     cannot be trusted for {@code htm}.
     */
    String method() {
        try {
            return request == null ? null : request.getMethod();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return the peer address, or {@code null} when unknown (forwarded headers are then ignored) */
    String remoteAddress() {
        try {
            return request == null ? null : request.getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return the context parameters as a settings source, or {@code null} outside a servlet container */
    SettingsCascade.Source contextParams() {
        return context().map(ServletContextBoard::contextParams).orElse(null);
    }

    /** @return where the application's validator is shared */
    ValidatorBoard board() {
        return context().<ValidatorBoard>map(ServletContextBoard::of).orElse(ValidatorBoard.NONE);
    }

    /** Hands what a filter built to the application's lifecycle, which closes it when the application stops. */
    void adopt(AutoCloseable resource) {
        context().ifPresent(context -> JaxRsLifecycle.adopt(context, resource));
    }

    private Optional<ServletContext> context() {
        try {
            return request == null ? Optional.empty() : Optional.ofNullable(request.getServletContext());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
