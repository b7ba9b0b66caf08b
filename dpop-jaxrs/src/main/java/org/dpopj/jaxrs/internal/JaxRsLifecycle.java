package org.dpopj.jaxrs.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.servlet.internal.AdapterSetup;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.SettingsCascade;

/**
 * Gives the Jakarta REST filters the start and the stop that Jakarta REST itself does not:
 * <ul>
 * <li>when the application starts and its settings (servlet context params, MicroProfile Config, system
 *     properties) name an access-token source, it obtains the application's validator as every adapter
 *     does (published, CDI, else built from those settings) and publishes it, so that a bad setting
 *     fails the deployment, naming the key and the sources consulted, instead of the first request;</li>
 * <li>when the application stops, it closes the validator it built, and whatever a Jakarta REST filter
 *     built and {@linkplain #adopt adopted} to it.</li>
 * </ul>
 * Registered by {@link DPoPJaxRsInitializer}. Thread-safe. Not API (see the package).
 */
public final class JaxRsLifecycle implements ServletContextListener {

    private static final String ADOPTED = JaxRsLifecycle.class.getName() + ".adopted";
    private static final Logger LOG = System.getLogger(JaxRsLifecycle.class.getName());
    private static final Object LOCK = new Object();

    private volatile AdapterSetup setup;

    /**
     * Closes {@code resource} when the application of {@code context} stops.
     *
     * @param context the application's context
     * @param resource what a Jakarta REST filter built
     */
    public static void adopt(ServletContext context, AutoCloseable resource) {
        adopted(context).add(resource);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        adopted(context);
        SettingsCascade cascade = SettingsCascade.forApplication(ServletContextBoard.contextParams(context));
        if (!cascade.configuresTokenSource()) {
            // nothing configured application-wide: a servlet filter or the Jakarta REST filter sets up on its own
            return;
        }
        try {
            setup = AdapterSetup.obtain(cascade, null, null, ServletContextBoard.of(context));
        } catch (DPoPConfigurationException e) {
            throw new IllegalStateException("DPoP Jakarta REST: invalid setting " + e.getMessage(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        AdapterSetup current = setup;
        setup = null;
        if (current != null) {
            current.close();
        }
        Queue<AutoCloseable> resources = adopted(event.getServletContext());
        for (AutoCloseable resource = resources.poll(); resource != null; resource = resources.poll()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "DPoP Jakarta REST: could not release " + resource.getClass().getName(), e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Queue<AutoCloseable> adopted(ServletContext context) {
        synchronized (LOCK) {
            Object queue = context.getAttribute(ADOPTED);
            if (queue == null) {
                queue = new ConcurrentLinkedQueue<AutoCloseable>();
                context.setAttribute(ADOPTED, queue);
            }
            return (Queue<AutoCloseable>) queue;
        }
    }
}
