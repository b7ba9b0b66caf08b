package org.dpopj.it.security.app;

import java.util.Map;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * Jakarta REST under /api, its resources found by scanning. Jakarta REST 3.1 does not require
 * {@code @RolesAllowed} on resources to be enforced: Jersey (Payara) enforces it with
 * {@code RolesAllowedDynamicFeature}, registered here by name so that the class compiles everywhere;
 * RESTEasy (WildFly) with the context param {@code resteasy.role.based.security} (web.xml); Open Liberty
 * by itself.
 */
@ApplicationPath("/api")
public class SecuredApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.provider.classnames", "org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature");
    }
}
