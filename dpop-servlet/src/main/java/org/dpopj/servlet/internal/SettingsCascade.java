package org.dpopj.servlet.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * The {@code dpop.*} settings of one adapter, read from named sources in a fixed order; for each key the
 * first source that has it wins:
 * <ol>
 * <li>the adapter's own: a servlet filter's init-params, a Jakarta REST application's properties (none
 *     for the CDI producer);</li>
 * <li>the servlet context parameters ({@code <context-param>}), inside a servlet container;</li>
 * <li>MicroProfile Config, whenever the server has it (its own sources include environment variables
 *     and {@code META-INF/microprofile-config.properties});</li>
 * <li>system properties.</li>
 * </ol>
 * An adapter whose own source names a {@code dpop.token.*} key takes no {@code dpop.token.*} key from the
 * others: mixing its introspection endpoint with the application's JWKS, say, would be a contradiction.
 *
 * <p>Immutable; thread-safe when the sources are. Not API (see the package).
 */
public final class SettingsCascade {

    /** Adapter key: scopes every request through a servlet filter must carry. */
    public static final String SCOPES = "dpop.scopes";

    /**
     * Keys an adapter reads for itself (with every {@value #HTU_KEYS} key, read by the target-URI
     * resolver); any other {@code dpop.*} key of its own source configures its own validator.
     */
    private static final Set<String> ADAPTER_KEYS = Set.of(SCOPES, DPoPSettings.ROLES_FROM_SCOPES);
    private static final String HTU_KEYS = "dpop.htu.";
    private static final String TOKEN_KEYS = "dpop.token.";
    private static final String SYSTEM_PROPERTIES = "system properties";

    /**
     * One named source of settings.
     *
     * @param name how configuration errors name it, e.g. {@code "servlet context params"}
     * @param lookup the value of a key, or {@code null} when the source does not have it
     */
    public record Source(String name, Function<String, String> lookup) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(lookup, "lookup");
        }
    }

    private final List<Source> sources;
    private final boolean ownValidatorSettings;
    private final boolean ownTokenSettings;

    private SettingsCascade(List<Source> sources, Collection<String> ownKeys) {
        this.sources = List.copyOf(sources);
        this.ownValidatorSettings = ownKeys.stream().anyMatch(key -> key.startsWith("dpop.") && !ADAPTER_KEYS.contains(key)
                && !key.startsWith(HTU_KEYS));
        this.ownTokenSettings = ownKeys.stream().anyMatch(key -> key.startsWith(TOKEN_KEYS));
    }

    /**
     * @param own the adapter's own source
     * @param ownKeys the names the own source has (only {@code dpop.*} ones matter)
     * @param contextParams the servlet context parameters, or {@code null} outside a servlet container
     * @return the cascade own, context params, MicroProfile Config (when present), system properties
     */
    public static SettingsCascade forAdapter(Source own, Collection<String> ownKeys, Source contextParams) {
        List<Source> sources = new ArrayList<>();
        sources.add(own);
        sources.addAll(application(contextParams));
        return new SettingsCascade(sources, ownKeys);
    }

    /**
     * @param contextParams the servlet context parameters, or {@code null} when unknown
     * @return the application-wide cascade: context params, MicroProfile Config (when present), system properties
     */
    public static SettingsCascade forApplication(Source contextParams) {
        return new SettingsCascade(application(contextParams), List.of());
    }

    /** For tests: exactly these sources, the first being the adapter's own with {@code ownKeys}. */
    static SettingsCascade of(List<Source> sources, Collection<String> ownKeys) {
        return new SettingsCascade(sources, ownKeys);
    }

    private static List<Source> application(Source contextParams) {
        List<Source> sources = new ArrayList<>();
        if (contextParams != null) {
            sources.add(contextParams);
        }
        MicroProfileConfig.lookup().ifPresent(config -> sources.add(new Source(MicroProfileConfig.NAME, config)));
        sources.add(new Source(SYSTEM_PROPERTIES, System::getProperty));
        return sources;
    }

    /** @return the settings, each key from the first source that has it */
    public DPoPSettings settings() {
        return DPoPSettings.from(key -> source(key).map(source -> source.lookup().apply(key)).orElse(null));
    }

    /** @return whether the adapter's own source configures a validator (any key beyond scopes, roles and htu) */
    public boolean ownValidatorSettings() {
        return ownValidatorSettings;
    }

    /** @return whether these settings name where access tokens are checked (issuer, JWKS or introspection) */
    public boolean configuresTokenSource() {
        DPoPSettings settings = settings();
        return Stream.of(AccessTokenResolvers.ISSUER, AccessTokenResolvers.JWKS_URI, AccessTokenResolvers.INTROSPECTION_URI)
                .anyMatch(key -> settings.string(key).isPresent());
    }

    /** @return the names of the sources, in the order they are consulted */
    public List<String> sourceNames() {
        return sources.stream().map(Source::name).toList();
    }

    /**
     * @param failure a bad or missing setting
     * @return the same failure, its message also naming the source that set the key (or that none did)
     *     and every source consulted, in order; the message still carries no value
     */
    public DPoPConfigurationException explain(DPoPConfigurationException failure) {
        String key = failure.key();
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String problem = message.startsWith(key + ": ") ? message.substring(key.length() + 2) : message;
        String where = source(key).map(source -> "set in " + source.name()).orElse("set nowhere");
        return new DPoPConfigurationException(key, problem + " (" + where + "; sources consulted, first wins: "
                + sources.stream().map(Source::name).collect(Collectors.joining(", ")) + ")", failure);
    }

    private Optional<Source> source(String key) {
        for (int i = 0; i < sources.size(); i++) {
            boolean inherited = i > 0;
            if (inherited && ownTokenSettings && key.startsWith(TOKEN_KEYS)) {
                continue;
            }
            Source source = sources.get(i);
            if (source.lookup().apply(key) != null) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
