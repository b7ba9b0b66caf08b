package org.dpopj.demo.api;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.dpopj.jaxrs.DPoPContainerRequestFilter;
import org.dpopj.jaxrs.DPoPContainerResponseFilter;

/**
 * The demo's Jakarta REST application at {@code /api}. Classes are listed explicitly, so that the
 * DPoP filters are registered whether or not the server scans library jars; they apply only to
 * {@link org.dpopj.jaxrs.DPoPRequired} resources.
 */
@ApplicationPath("/api")
public class DemoApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(OrdersResource.class, MeResource.class, DPoPContainerRequestFilter.class, DPoPContainerResponseFilter.class,
                JsonExceptionMapper.class);
    }

    /**
     * Jersey (Payara's Jakarta REST runtime) would otherwise answer an error without a body through
     * {@code sendError}, which puts the servlet error page's body under a DPoP challenge, and describe
     * the API in WADL to anyone who asks with OPTIONS. Jersey enforces {@code @RolesAllowed}
     * ({@link MeResource}) only with its {@code RolesAllowedDynamicFeature}, named here.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.response.setStatusOverSendError", Boolean.TRUE,
                "jersey.config.server.wadl.disableWadl", Boolean.TRUE,
                "jersey.config.server.provider.classnames", "org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature");
    }
}
