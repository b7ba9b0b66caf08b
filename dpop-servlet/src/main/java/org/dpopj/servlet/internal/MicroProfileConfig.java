package org.dpopj.servlet.internal;

import java.util.Optional;
import java.util.function.Function;

/**
 * MicroProfile Config as a settings source, when the server has it. Its types are touched only in a
 * nested class that is loaded once the API is known to be visible, so the adapters also run without it.
 * Not API (see the package).
 */
public final class MicroProfileConfig {

    /** The name under which this source appears in configuration errors. */
    public static final String NAME = "MicroProfile Config";

    private MicroProfileConfig() {
    }

    /**
     * @return the application's MicroProfile Config (for the thread's context class loader, as the server
     *     sets it for the application), or empty when the server has no MicroProfile Config
     */
    public static Optional<Function<String, String>> lookup() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    MicroProfileConfig.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        try {
            return Optional.of(Reader.lookup());
        } catch (IllegalStateException | LinkageError | java.util.ServiceConfigurationError e) {
            // the API is visible but no implementation is
            return Optional.empty();
        }
    }

    /** Loaded only once the API is known to be visible. */
    private static final class Reader {
        static Function<String, String> lookup() {
            org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            return key -> config.getOptionalValue(key, String.class).orElse(null);
        }
    }
}
