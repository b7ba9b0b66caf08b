package org.dpopj.cdi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.NonceMode;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.token.AccessTokenResolvers;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;

/**
 * Makes DPoP available to CDI beans:
 * <ul>
 * <li>{@link DPoPSettings}: the {@code dpop.*} settings from MicroProfile Config when the server has it
 *     (environment variables such as {@code DPOP_TOKEN_JWKS_URI} work through its own name mapping),
 *     else from system properties;</li>
 * <li>{@link DPoPValidator}: one per application, built from those settings on first use. A CDI bean of
 *     type {@link ReplayStore}, {@link AccessTokenResolver} or {@link NonceSource} replaces the default
 *     (the nonce source when {@code dpop.nonce.mode=required}); two beans of one of these types stop the
 *     application at start-up. Every decision is fired as a synchronous {@link DPoPAuditEvent} CDI event,
 *     for requests validated by either adapter with this validator;</li>
 * <li>{@link DPoPBinding}, request-scoped: the binding the servlet or Jakarta REST filter stored in the
 *     current request. Using it in a request that has none (not validated, or validated with Bearer)
 *     throws {@link IllegalStateException}; inject {@link DPoPContext} to test for it instead.</li>
 * </ul>
 * The servlet filter ({@code dpop-servlet}) and the Jakarta REST filter ({@code dpop-jaxrs}) use this
 * validator unless they are configured with their own settings, so the application keeps one replay
 * store.
 *
 * <p>Thread-safe. The validator is built once, under a lock.
 */
@ApplicationScoped
public class DPoPProducer {

    private static final Logger LOG = System.getLogger(DPoPProducer.class.getName());

    @Inject
    Instance<ReplayStore> replayStores;

    @Inject
    Instance<AccessTokenResolver> accessTokenResolvers;

    @Inject
    Instance<NonceSource> nonceSources;

    @Inject
    Event<DPoPAuditEvent> auditEvents;

    @Inject
    Instance<HttpServletRequest> servletRequest;

    private DPoPSettings settings;
    private DPoPValidator validator;

    /**
     * Fails the deployment when an extension point has more than one bean, and, when the application
     * configures an access-token source through these settings (or provides a resolver bean), builds the
     * validator now so that a bad setting stops the deployment instead of failing the first request.
     */
    void checkExtensionPoints(@Observes @Initialized(ApplicationScoped.class) Object started) {
        single(replayStores, ReplayStore.class, DPoPSettings.REPLAY_PROVIDER);
        boolean resolverBean = single(accessTokenResolvers, AccessTokenResolver.class, "dpop.token.jwks-uri").isPresent();
        single(nonceSources, NonceSource.class, DPoPSettings.NONCE_MODE);
        DPoPSettings source = settings();
        boolean configured = resolverBean || Stream.of(AccessTokenResolvers.ISSUER, AccessTokenResolvers.JWKS_URI,
                AccessTokenResolvers.INTROSPECTION_URI).anyMatch(key -> source.string(key).isPresent());
        if (configured) {
            validator();
        }
    }

    /** @return the application's {@code dpop.*} settings */
    @Produces
    @Dependent
    public synchronized DPoPSettings settings() {
        if (settings == null) {
            settings = MicroProfileConfig.settings().orElseGet(DPoPSettings::fromSystemProperties);
        }
        return settings;
    }

    /**
     * @return the application's validator, the same instance every time
     * @throws DPoPConfigurationException naming the key of a missing or invalid setting
     */
    @Produces
    @Dependent
    public synchronized DPoPValidator validator() {
        if (validator == null) {
            validator = build(settings());
        }
        return validator;
    }

    /**
     * @return the binding of the current request
     * @throws IllegalStateException when the request was not validated with the DPoP scheme
     */
    @Produces
    @RequestScoped
    public DPoPBinding binding() {
        return currentBinding(servletRequest).orElseThrow(() -> new IllegalStateException(
                "No DPoP binding in this request: protect it with DPoPFilter or @DPoPRequired, "
                        + "or inject DPoPContext to handle requests without one"));
    }

    private DPoPValidator build(DPoPSettings source) {
        DPoPValidator.Builder builder = DPoPValidator.builder().settings(source);
        Optional<ReplayStore> replayStore = single(replayStores, ReplayStore.class, DPoPSettings.REPLAY_PROVIDER);
        replayStore.ifPresent(builder::replayStore);
        single(accessTokenResolvers, AccessTokenResolver.class, "dpop.token.jwks-uri")
                .ifPresent(builder::accessTokenResolver);
        Optional<NonceSource> nonceSource = single(nonceSources, NonceSource.class, DPoPSettings.NONCE_MODE);
        if (nonceSource.isPresent()) {
            NonceMode mode = source.string(DPoPSettings.NONCE_MODE).map(NonceMode::fromConfigValue).orElse(NonceMode.OFF);
            if (mode == NonceMode.OFF) {
                LOG.log(Level.INFO, "DPoP: a NonceSource bean is present but " + DPoPSettings.NONCE_MODE
                        + " is off; nonces are not required");
            } else {
                builder.nonces(mode, nonceSource.get());
            }
        }
        Event<DPoPAuditEvent> events = auditEvents;
        builder.auditListener(events::fire);
        return builder.build();
    }

    /** @return the one bean of {@code type}, or empty for none; fails for several, naming the setting it replaces */
    private static <T> Optional<T> single(Instance<T> beans, Class<T> type, String key) {
        if (beans.isUnsatisfied()) {
            return Optional.empty();
        }
        if (beans.isAmbiguous()) {
            throw new DPoPConfigurationException(key, "several CDI beans of type " + type.getName()
                    + " replace the default; keep one (or mark one @Alternative @Priority)");
        }
        return Optional.of(beans.get());
    }

    static Optional<DPoPBinding> currentBinding(Instance<HttpServletRequest> request) {
        return attribute(request, DPoPAttributes.BINDING).filter(DPoPBinding.class::isInstance).map(DPoPBinding.class::cast);
    }

    static Optional<Object> attribute(Instance<HttpServletRequest> request, String name) {
        if (request == null || !request.isResolvable()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(request.get().getAttribute(name));
        } catch (RuntimeException e) {
            // no active servlet request on this thread
            return Optional.empty();
        }
    }

    /** MicroProfile Config, touched only here, so that the module works on a server without it. */
    static final class MicroProfileConfig {
        private MicroProfileConfig() {
        }

        static Optional<DPoPSettings> settings() {
            try {
                Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                        MicroProfileConfig.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
            try {
                return Optional.of(Reader.settings());
            } catch (IllegalStateException | LinkageError e) {
                // the API is visible but no implementation is
                return Optional.empty();
            }
        }

        /** Loaded only once the API is known to be visible. */
        private static final class Reader {
            static DPoPSettings settings() {
                org.eclipse.microprofile.config.Config config =
                        org.eclipse.microprofile.config.ConfigProvider.getConfig();
                return DPoPSettings.from(key -> config.getOptionalValue(key, String.class).orElse(null));
            }
        }
    }
}
