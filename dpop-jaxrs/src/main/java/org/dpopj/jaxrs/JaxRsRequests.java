package org.dpopj.jaxrs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.dpopj.core.DPoPRequest;
import org.dpopj.core.http.AccessTokenQuery;
import org.dpopj.core.http.TargetUriResolver;

/** Collects what the validator needs from a Jakarta REST request, and nothing else. Stateless. */
final class JaxRsRequests {

    private JaxRsRequests() {
    }

    /**
     * @param request the request
     * @param resolver how the target URI is worked out
     * @param remoteAddress the peer address, or {@code null} when unknown (forwarded headers are then ignored)
     * @param wireMethod the method as received (from the servlet request), or {@code null} to use the context's
     * @return the method, target URI, every {@code DPoP} and {@code Authorization} field (one element per
     *     field), whether {@code access_token} is in the query, and the peer address
     */
    static DPoPRequest toDPoPRequest(ContainerRequestContext request, TargetUriResolver resolver, String remoteAddress,
                                     String wireMethod) {
        return toDPoPRequest(request, resolver, remoteAddress, wireMethod, null);
    }

    /**
     * @param servletFormToken on a servlet container, looks for {@code access_token} in the form
     *     parameters the container parsed; {@code null} elsewhere, where the entity is buffered instead
     */
    static DPoPRequest toDPoPRequest(ContainerRequestContext request, TargetUriResolver resolver, String remoteAddress,
                                     String wireMethod, java.util.function.BooleanSupplier servletFormToken) {
        URI requestUri = request.getUriInfo().getRequestUri();
        MultivaluedMap<String, String> headers = request.getHeaders();
        String targetUri = resolver.resolve(requestUri.toString(), requestUri.getRawPath(), remoteAddress,
                name -> headers(headers, name));
        return DPoPRequest.builder()
                .method(wireMethod != null ? wireMethod : request.getMethod())
                .targetUri(targetUri)
                .dpopHeaders(headers(headers, "DPoP"))
                .authorizationHeaders(headers(headers, "Authorization"))
                .accessTokenInQueryOrBody(AccessTokenQuery.containsAccessToken(requestUri.getRawQuery())
                        || (servletFormToken != null ? servletFormToken.getAsBoolean() : formHasAccessToken(request)))
                .remoteAddress(remoteAddress)
                .build();
    }

    /**
     * Outside a servlet container: buffers a form entity of at most {@link AccessTokenQuery#MAX_FORM_BYTES},
     * looks for {@code access_token} and puts the entity back for the resource; a larger form is put back
     * unread. (On a servlet container the form is read through the servlet parameters instead: some
     * runtimes, e.g. RESTEasy on Open Liberty, take {@code @FormParam} values from there, and buffering the
     * entity would leave them empty.)
     */
    static boolean formHasAccessToken(ContainerRequestContext request) {
        if (!request.hasEntity() || !AccessTokenQuery.isForm(request.getHeaderString("Content-Type"))) {
            return false;
        }
        try {
            InputStream entity = request.getEntityStream();
            byte[] head = entity.readNBytes(AccessTokenQuery.MAX_FORM_BYTES + 1);
            if (head.length > AccessTokenQuery.MAX_FORM_BYTES) {
                request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), entity));
                return false;
            }
            request.setEntityStream(new ByteArrayInputStream(head));
            return AccessTokenQuery.containsAccessToken(new String(head, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every field value of {@code name}, matched case-insensitively; empty when absent */
    static List<String> headers(MultivaluedMap<String, String> headers, String name) {
        List<String> values = headers.get(name);
        if (values != null) {
            return List.copyOf(values);
        }
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && entry.getValue() != null) {
                return List.copyOf(entry.getValue());
            }
        }
        return List.of();
    }
}
