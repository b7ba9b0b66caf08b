package org.dpopj.jaxrs;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import org.dpopj.core.DPoPResult;

/**
 * Adds the rotated {@code DPoP-Nonce} (RFC 9449 §8.2) to the response of a request that
 * {@link DPoPContainerRequestFilter} validated, unless the application set one itself. (When the
 * servlet filter validated the request, the servlet filter adds it.)
 *
 * <p>Stateless and thread-safe.
 */
@Provider
@DPoPRequired
@Priority(Priorities.AUTHENTICATION)
public class DPoPContainerResponseFilter implements ContainerResponseFilter {

    static final String DPOP_NONCE = "DPoP-Nonce";

    /** Created by the Jakarta REST runtime, through {@link DPoPFeature} or discovery. */
    public DPoPContainerResponseFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (Boolean.TRUE.equals(request.getProperty(DPoPContainerRequestFilter.VALIDATED_HERE))
                && request.getProperty(DPoPResult.ATTRIBUTE) instanceof DPoPResult result
                && !response.getHeaders().containsKey(DPOP_NONCE)) {
            result.responseNonce().ifPresent(nonce -> response.getHeaders().putSingle(DPOP_NONCE, nonce));
        }
    }
}
