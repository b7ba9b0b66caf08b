package org.dpopj.servlet.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.http.ProtectedResourceMetadata;
import org.dpopj.servlet.ProtectedResourceMetadataServlet;

/**
 * Registers {@link ProtectedResourceMetadataServlet} at {@value ProtectedResourceMetadata#WELL_KNOWN}
 * (and below it) when the application's settings set {@value DPoPSettings#METADATA_RESOURCE} and the
 * application has not declared the servlet itself. Invalid metadata settings fail the deployment here,
 * naming the key. Stateless. Not API (see the package).
 */
public final class MetadataInitializer implements ServletContainerInitializer {

    private static final Logger LOG = System.getLogger(ProtectedResourceMetadataServlet.class.getName());
    static final String SERVLET_NAME = "dpop-protected-resource-metadata";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        SettingsCascade cascade = SettingsCascade.forApplication(ServletContextBoard.contextParams(context));
        DPoPSettings settings = cascade.settings();
        if (settings.string(DPoPSettings.METADATA_RESOURCE).isEmpty()) {
            return;
        }
        try {
            ProtectedResourceMetadata.fromSettings(settings);
        } catch (DPoPConfigurationException e) {
            throw cascade.explain(e);
        }
        boolean declared = context.getServletRegistrations().values().stream()
                .map(ServletRegistration::getClassName)
                .anyMatch(ProtectedResourceMetadataServlet.class.getName()::equals);
        if (declared) {
            return;
        }
        ServletRegistration.Dynamic registration = context.addServlet(SERVLET_NAME, ProtectedResourceMetadataServlet.class);
        if (registration == null) {
            LOG.log(Level.WARNING, "DPoP protected resource metadata not published: a servlet named " + SERVLET_NAME
                    + " exists");
            return;
        }
        Set<String> taken = registration.addMapping(ProtectedResourceMetadata.WELL_KNOWN,
                ProtectedResourceMetadata.WELL_KNOWN + "/*");
        if (!taken.isEmpty()) {
            LOG.log(Level.WARNING, "DPoP protected resource metadata not published at " + taken
                    + ": another servlet is mapped there");
        }
    }
}
