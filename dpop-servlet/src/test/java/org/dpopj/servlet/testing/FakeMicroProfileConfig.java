package org.dpopj.servlet.testing;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Installs a MicroProfile Config implementation over a map, as a server would provide one, and removes
 * it again on {@link #close()}. Only {@code getOptionalValue} is implemented; anything else fails the test.
 */
public final class FakeMicroProfileConfig extends ConfigProviderResolver implements AutoCloseable {

    private final Config config;

    private FakeMicroProfileConfig(Map<String, String> values) {
        this.config = (Config) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Config.class},
                (self, m, args) -> switch (m.getName()) {
                    case "getOptionalValue" -> Optional.ofNullable(values.get((String) args[0]));
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** @return the installed implementation; {@link #close()} removes it */
    public static FakeMicroProfileConfig install(Map<String, String> values) {
        FakeMicroProfileConfig fake = new FakeMicroProfileConfig(values);
        ConfigProviderResolver.setInstance(fake);
        return fake;
    }

    @Override
    public void close() {
        ConfigProviderResolver.setInstance(null);
    }

    @Override
    public Config getConfig() {
        return config;
    }

    @Override
    public Config getConfig(ClassLoader loader) {
        return config;
    }

    @Override
    public ConfigBuilder getBuilder() {
        throw new UnsupportedOperationException("getBuilder");
    }

    @Override
    public void registerConfig(Config config, ClassLoader classLoader) {
        throw new UnsupportedOperationException("registerConfig");
    }

    @Override
    public void releaseConfig(Config config) {
        throw new UnsupportedOperationException("releaseConfig");
    }
}
