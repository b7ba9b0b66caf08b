package org.dpopj.jaxrs;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

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
     *     field), whether {@code access_token} is in the query or a form entity, and the peer address
     */
    static DPoPRequest toDPoPRequest(ContainerRequestContext request, TargetUriResolver resolver, String remoteAddress,
                                     String wireMethod) {
        return toDPoPRequest(request, resolver, remoteAddress, wireMethod, () -> FormBodyTokens.inEntity(request));
    }

    /** @param formToken whether a form body carries {@code access_token}, see {@link FormBodyTokens} */
    static DPoPRequest toDPoPRequest(ContainerRequestContext request, TargetUriResolver resolver, String remoteAddress,
                                     String wireMethod, BooleanSupplier formToken) {
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
                        || formToken.getAsBoolean())
                .remoteAddress(remoteAddress)
                .build();
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
