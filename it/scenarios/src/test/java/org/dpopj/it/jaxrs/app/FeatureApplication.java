package org.dpopj.it.jaxrs.app;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.dpopj.jaxrs.DPoPFeature;

/** Jakarta REST under /api with {@link DPoPFeature}: every resource is protected, none is annotated. */
@ApplicationPath("/api")
public class FeatureApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(DPoPFeature.class, HelloResource.class);
    }
}
