package org.dpopj.observability;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Adds dpopj's metrics and readiness beans to the application when the server provides what they
 * need, and nothing otherwise: {@link DPoPMetrics} when the OpenTelemetry API is visible to the
 * application (MicroProfile Telemetry 2.0), {@link DPoPReadinessCheck} when MicroProfile Health is.
 * This jar has no {@code beans.xml}, so its classes are never discovered: only this extension adds
 * them, after checking, without loading them, that the classes they refer to exist. A server without
 * either API therefore never loads a class that would fail with {@code NoClassDefFoundError}.
 *
 * <p>Stateless.
 */
public final class ObservabilityExtension implements Extension {

    static final String OPENTELEMETRY_API = "io.opentelemetry.api.OpenTelemetry";
    static final String MICROPROFILE_HEALTH_API = "org.eclipse.microprofile.health.HealthCheck";

    private static final Logger LOG = System.getLogger(ObservabilityExtension.class.getName());

    /** For the CDI container ({@code META-INF/services}). */
    public ObservabilityExtension() {
    }

    void addBeans(@Observes BeforeBeanDiscovery discovery, BeanManager beans) {
        boolean metrics = visible(OPENTELEMETRY_API);
        boolean health = visible(MICROPROFILE_HEALTH_API);
        if (metrics) {
            discovery.addAnnotatedType(beans.createAnnotatedType(DPoPMetrics.class), DPoPMetrics.class.getName());
        }
        if (health) {
            discovery.addAnnotatedType(beans.createAnnotatedType(DPoPReadinessCheck.class),
                    DPoPReadinessCheck.class.getName());
        }
        LOG.log(Level.INFO, "dpopj observability: metrics " + (metrics ? "on (OpenTelemetry API)" : "off (no OpenTelemetry API)")
                + ", readiness check " + (health ? "on (MicroProfile Health)" : "off (no MicroProfile Health)"));
    }

    /**
     * @return whether the class loader of this jar, which loads the beans, sees {@code className};
     *     looked up without initialising it
     */
    static boolean visible(String className) {
        try {
            Class.forName(className, false, ObservabilityExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
