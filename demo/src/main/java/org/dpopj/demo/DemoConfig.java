package org.dpopj.demo;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.token.AccessTokenResolvers;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The demo's settings, read through MicroProfile Config: the {@code dpop.*} settings of the library
 * (so that {@code DPOP_TOKEN_ISSUER} and the other environment variables override them) and the
 * demo's own {@code demo.*} settings. Defaults are in {@code META-INF/microprofile-config.properties}:
 * the API trusts the token endpoint of this WAR, on 127.0.0.1 and the port of {@code demo.port}
 * ({@code DEMO_PORT}). An empty environment variable clears a default ({@link #cleared}).
 *
 * <p>Application-scoped and thread-safe: MicroProfile Config is.
 */
@ApplicationScoped
public class DemoConfig {

    /** Public URL of this application, e.g. {@code http://127.0.0.1:8080/demo}. */
    public static final String BASE_URI = "demo.base-uri";
    /** The {@code iss} of the tokens the demo token endpoint issues. */
    public static final String ISSUER = "demo.issuer";
    /** The {@code aud} of the tokens the demo token endpoint issues. */
    public static final String AUDIENCE = "demo.audience";
    /** How long the demo token endpoint's tokens live. */
    public static final String TOKEN_LIFETIME = "demo.token-lifetime";

    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

    private Config config() {
        return ConfigProvider.getConfig(DemoConfig.class.getClassLoader());
    }

    /** @return the value of {@code key}, if set and not blank, and not cleared (see {@link #cleared}) */
    public Optional<String> value(String key) {
        if (cleared(key)) {
            return Optional.empty();
        }
        return config().getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Whether an empty environment variable (under any of the names MicroProfile Config maps to
     * {@code key}: exact, non-alphanumerics as {@code _}, and that upper-cased) or an empty system
     * property clears {@code key}. MicroProfile Config implementations treat an empty value as absent and
     * fall through to the next source, here the WAR's defaults, so that {@code DPOP_TOKEN_ISSUER=} alone
     * would not clear the demo's own issuer; the demo reads the environment itself for this.
     *
     * @param key a setting's key
     * @return whether it is set to an empty value in the environment or the system properties
     */
    public static boolean cleared(String key) {
        String underscored = key.replaceAll("[^A-Za-z0-9]", "_");
        for (String name : new String[] {key, underscored, underscored.toUpperCase(Locale.ROOT)}) {
            String value = System.getenv(name);
            if (value != null && value.isBlank()) {
                return true;
            }
        }
        String property = System.getProperty(key);
        return property != null && property.isBlank();
    }

    /** @return the value of a required {@code demo.*} key */
    public String required(String key) {
        return value(key).orElseThrow(() -> new IllegalStateException("demo setting " + key + " is not set"));
    }

    /** @return the public URL of this application, without a trailing slash */
    public String baseUri() {
        String base = required(BASE_URI);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * @return the RFC 9728 resource identifier of the demo's MCP server: {@code dpop.metadata.resource}
     *     (or the base URL) followed by {@code /mcp}
     */
    public String mcpResource() {
        String resource = dpopSettings().string(DPoPSettings.METADATA_RESOURCE).orElse(baseUri());
        return (resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource) + "/mcp";
    }

    /** @return the resource identifiers the demo authorization server issues tokens for (RFC 8707): the API's and the MCP server's */
    public java.util.List<String> resources() {
        return java.util.List.of(dpopSettings().string(DPoPSettings.METADATA_RESOURCE).orElse(baseUri()), mcpResource());
    }

    /** @return the lifetime of issued access tokens */
    public Duration tokenLifetime() {
        return value(TOKEN_LIFETIME).map(v -> DPoPSettings.parseDuration(TOKEN_LIFETIME, v)).orElse(DEFAULT_TOKEN_LIFETIME);
    }

    /** @return the library's settings, read from MicroProfile Config on every lookup */
    public DPoPSettings dpopSettings() {
        Config config = config();
        return DPoPSettings.from(key -> cleared(key) ? null : config.getOptionalValue(key, String.class).orElse(null));
    }

    /**
     * @param overrides settings that win over MicroProfile Config
     * @return the library's settings with {@code overrides} applied
     */
    public DPoPSettings dpopSettings(Map<String, String> overrides) {
        return DPoPSettings.from(overrides).orElse(dpopSettings());
    }

    /**
     * @return every {@code dpop.*} key the library defines (the constants of {@link DPoPSettings} and
     *     {@link AccessTokenResolvers}), so that they can be handed to the servlet filters as context
     *     parameters
     */
    public static Set<String> libraryKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Class<?> holder : new Class<?>[] {DPoPSettings.class, AccessTokenResolvers.class}) {
            for (Field field : holder.getFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                    try {
                        Object value = field.get(null);
                        if (value instanceof String key && key.startsWith("dpop.")) {
                            keys.add(key);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }
}
