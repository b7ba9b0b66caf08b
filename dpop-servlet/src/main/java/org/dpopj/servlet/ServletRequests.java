package org.dpopj.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.DPoPRequest;
import org.dpopj.core.http.AccessTokenQuery;
import org.dpopj.core.http.TargetUriResolver;

/** Collects what the validator needs from a servlet request, and nothing else. Stateless. */
final class ServletRequests {

    private ServletRequests() {
    }

    /**
     * @param request the request
     * @param resolver how the target URI is worked out
     * @return the method, target URI, every {@code DPoP} and {@code Authorization} field (one element per
     *     field), whether {@code access_token} is in the query, and the peer address
     */
    static DPoPRequest toDPoPRequest(HttpServletRequest request, TargetUriResolver resolver) {
        String remoteAddress = request.getRemoteAddr();
        String targetUri = resolver.resolve(request.getRequestURL().toString(), request.getRequestURI(),
                remoteAddress, name -> headers(request, name));
        return DPoPRequest.builder()
                .method(request.getMethod())
                .targetUri(targetUri)
                .dpopHeaders(headers(request, "DPoP"))
                .authorizationHeaders(headers(request, "Authorization"))
                .accessTokenInQueryOrBody(AccessTokenQuery.containsAccessToken(request.getQueryString())
                        || formHasAccessToken(request))
                .remoteAddress(remoteAddress)
                .build();
    }

    /**
     * Reads form parameters through the servlet API, as the application itself would, so they stay
     * available to it (only {@code getInputStream()} is then spent, as after any {@code getParameter}).
     */
    static boolean formHasAccessToken(HttpServletRequest request) {
        return AccessTokenQuery.isForm(request.getContentType()) && request.getParameterValues("access_token") != null;
    }

    /** @return every field value of {@code name}; empty when absent or when the container withholds headers */
    static List<String> headers(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }
}
