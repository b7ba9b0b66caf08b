package org.dpopj.jaxrs.internal;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

/**
 * Registers {@link JaxRsLifecycle} in every web application that has dpop-jaxrs in {@code WEB-INF/lib}
 * (listed in {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}, so it also runs
 * when {@code web.xml} is {@code metadata-complete}). Stateless. Not API (see the package).
 */
public final class DPoPJaxRsInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new JaxRsLifecycle());
    }
}
