package org.dpopj.servlet.internal;

import java.util.Optional;

import org.dpopj.core.DPoPConfigurationException;

/**
 * Looks beans up in CDI when the application has CDI. Every CDI type stays in a nested class, so that a
 * container without CDI never loads one. Not API (see the package).
 */
public final class CdiBeans {

    private CdiBeans() {
    }

    /**
     * @param type the bean type
     * @return the one bean of {@code type}; empty without CDI, or when there is no bean or several
     * @throws DPoPConfigurationException when the bean exists but could not be created for a bad setting
     *     (for example dpop-cdi's validator), so that the caller reports the setting instead of skipping it
     */
    public static <T> Optional<T> lookup(Class<T> type) {
        try {
            return Access.lookup(type);
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /** Loaded only when called, and then only with CDI present. */
    private static final class Access {
        static <T> Optional<T> lookup(Class<T> type) {
            jakarta.enterprise.inject.Instance<T> instance;
            try {
                instance = jakarta.enterprise.inject.spi.CDI.current().select(type);
                if (!instance.isResolvable()) {
                    return Optional.empty();
                }
            } catch (IllegalStateException e) {
                // no CDI container for this application
                return Optional.empty();
            }
            try {
                return Optional.of(instance.get());
            } catch (RuntimeException e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof DPoPConfigurationException configuration) {
                        throw configuration;
                    }
                }
                throw e;
            }
        }
    }
}
