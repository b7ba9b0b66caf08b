package org.dpopj.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.servlet.internal.ServletRequests;

/**
 * Refuses a DPoP-bound access token presented as {@code Bearer} to endpoints that another mechanism
 * authenticates, typically MicroProfile JWT: a token with {@code cnf.jkt} (RFC 9449 §6.1) proves
 * nothing without its proof, and MP-JWT implementations accept it as a plain Bearer token. Map it in
 * {@code web.xml} on the MP-JWT paths (servlet filters run after authentication):
 * <pre>{@code
 * <filter><filter-name>bound-bearer</filter-name><filter-class>org.dpopj.servlet.BoundBearerFilter</filter-class></filter>
 * <filter-mapping><filter-name>bound-bearer</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>
 * }</pre>
 * The caller's claims are those the container verified: the principal must be an
 * {@code org.eclipse.microprofile.jwt.JsonWebToken} (read only when the server has the MP-JWT API)
 * whose {@code cnf} claim has a {@code jkt} member. Such a request, when its {@code Authorization}
 * uses the {@code Bearer} scheme, is answered 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}, {@code Cache-Control: no-store} and the
 * JSON error body; anything else passes unchanged. The filter has no settings.
 *
 * <p>Stateless and thread-safe.
 */
public final class BoundBearerFilter implements Filter {

    static final String DESCRIPTION = "The access token is DPoP-bound: present it with the DPoP scheme and a proof";

    /** For containers ({@code web.xml}) and programmatic registration. */
    public BoundBearerFilter() {
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (servletRequest instanceof HttpServletRequest request && servletResponse instanceof HttpServletResponse response
                && presentsBearer(request) && isBound(request.getUserPrincipal())) {
            refuse(response);
            return;
        }
        chain.doFilter(servletRequest, servletResponse);
    }

    private static boolean presentsBearer(HttpServletRequest request) {
        return ServletRequests.headers(request, "Authorization").stream()
                .anyMatch(value -> value.stripLeading().toLowerCase(Locale.ROOT).startsWith("bearer"));
    }

    /** @return whether {@code principal} is an MP-JWT caller whose {@code cnf} claim names a {@code jkt} */
    static boolean isBound(Principal principal) {
        if (principal == null) {
            return false;
        }
        try {
            return MicroProfileJwt.confirmation(principal) instanceof Map<?, ?> cnf && cnf.get("jkt") != null;
        } catch (LinkageError e) {
            // no MicroProfile JWT API on this server: no MP-JWT caller either
            return false;
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + DESCRIPTION + "\"");
        response.setHeader("Cache-Control", "no-store");
        byte[] body = ErrorResponses.jsonBody(DPoPException.invalidToken(Check.KEY_BINDING, DESCRIPTION))
                .orElse("").getBytes(StandardCharsets.UTF_8);
        response.setContentType(ErrorResponses.JSON_MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Loaded only when called; fails with a {@link LinkageError} where the MP-JWT API is missing. */
    private static final class MicroProfileJwt {
        static Object confirmation(Principal principal) {
            // a jakarta.json.JsonObject (a Map) on the servers checked, or a Map
            return principal instanceof org.eclipse.microprofile.jwt.JsonWebToken jwt ? jwt.getClaim("cnf") : null;
        }
    }
}
