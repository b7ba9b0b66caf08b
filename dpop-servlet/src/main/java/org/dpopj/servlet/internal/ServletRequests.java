package org.dpopj.servlet.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.AccessTokenQuery;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.core.http.TargetUriResolver;

/**
 * Collects what the validator needs from a servlet request, and nothing else; and writes the
 * validator's refusal. Shared by the servlet filter and the Jakarta Security mechanism
 * ({@code dpop-security}). Stateless. Not API (see the package).
 */
public final class ServletRequests {

    private static final Logger LOG = System.getLogger(ServletRequests.class.getName());

    /** Request attribute: the validator that produced the {@link DPoPAttributes#RESULT} of the request. */
    static final String VALIDATED_BY = ServletRequests.class.getName() + ".validatedBy";

    private ServletRequests() {
    }

    /**
     * @param request the request
     * @param resolver how the target URI is worked out
     * @return the method, target URI, every {@code DPoP} and {@code Authorization} field (one element per
     *     field), whether {@code access_token} is in the query, and the peer address
     */
    public static DPoPRequest toDPoPRequest(HttpServletRequest request, TargetUriResolver resolver) {
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
    public static boolean formHasAccessToken(HttpServletRequest request) {
        return AccessTokenQuery.isForm(request.getContentType()) && request.getParameterValues("access_token") != null;
    }

    /** @return every field value of {@code name}; empty when absent or when the container withholds headers */
    public static List<String> headers(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /**
     * @param request the request
     * @param validator the validator the caller would use
     * @return the request's earlier result when {@code validator} produced it (or when whoever stored it
     *     did not say which validator did); empty when another validator did, whose settings (nonces, say)
     *     may be looser than {@code validator}'s, or when there is none
     */
    public static Optional<DPoPResult> earlierResult(HttpServletRequest request, DPoPValidator validator) {
        if (!(request.getAttribute(DPoPAttributes.RESULT) instanceof DPoPResult earlier)) {
            return Optional.empty();
        }
        Object producer = request.getAttribute(VALIDATED_BY);
        return producer == null || producer == validator ? Optional.of(earlier) : Optional.empty();
    }

    /**
     * Leaves {@code result} where the other adapters and dpop-cdi find it: {@link DPoPAttributes#RESULT},
     * {@link DPoPAttributes#BINDING}, and which validator produced it.
     */
    public static void store(HttpServletRequest request, DPoPResult result, DPoPValidator validator) {
        request.setAttribute(DPoPAttributes.RESULT, result);
        request.setAttribute(VALIDATED_BY, validator);
        if (result.binding().isPresent()) {
            request.setAttribute(DPoPAttributes.BINDING, result.binding().get());
        } else if (request.getAttribute(DPoPAttributes.BINDING) != null) {
            // an earlier validator's binding is not this result's
            request.removeAttribute(DPoPAttributes.BINDING);
        }
    }

    /** Writes the challenge: status, headers, and the JSON error body when the failure has an error code. */
    public static void refuse(DPoPValidator validator, HttpServletResponse response, DPoPException failure)
            throws IOException {
        if (response.isCommitted()) {
            LOG.log(Level.WARNING, "DPoP cannot refuse a request whose response is already committed");
            return;
        }
        HttpChallenge challenge = validator.challenge(failure);
        response.setStatus(challenge.status());
        for (HttpChallenge.Header header : challenge.headers()) {
            response.addHeader(header.name(), header.value());
        }
        Optional<String> body = ErrorResponses.jsonBody(failure);
        if (body.isPresent()) {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            response.setContentType(ErrorResponses.JSON_MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } else {
            response.setContentLength(0);
        }
        response.flushBuffer();
    }

}
