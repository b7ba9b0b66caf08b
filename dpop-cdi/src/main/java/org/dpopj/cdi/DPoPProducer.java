package org.dpopj.cdi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.DPoPValidatorBuilder;
import org.dpopj.core.NonceMode;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.IssuerCallListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.SettingsCascade;

/**
 * Makes DPoP available to CDI beans:
 * <ul>
 * <li>{@link DPoPSettings}: the {@code dpop.*} settings from the servlet context params, else
 *     MicroProfile Config when the server has it (environment variables such as
 *     {@code DPOP_TOKEN_JWKS_URI} work through its own name mapping), else system properties (see
 *     {@link SettingsCascade});</li>
 * <li>{@link DPoPValidator}: one per application, built from those settings on first use. A CDI bean of
 *     type {@link ReplayStore}, {@link AccessTokenResolver} or {@link NonceSource} replaces the default
 *     (the nonce source when {@code dpop.nonce.mode=required}); two beans of one of these types stop the
 *     application at start-up. Every decision is fired as a synchronous {@link DPoPAuditEvent} CDI event,
 *     for requests validated by either adapter with this validator, and handed, with the validation's
 *     duration, to every CDI bean of type {@link AuditListener}; every CDI bean of type
 *     {@link IssuerCallListener} is told of the JWKS fetches and introspection calls of the resolver
 *     built from the settings (this is how {@code dpop-observability} records its metrics);</li>
 * <li>{@link DPoPBinding}, request-scoped: the binding the servlet or Jakarta REST filter stored in the
 *     current request. Using it in a request that has none (not validated, or validated with Bearer)
 *     throws {@link IllegalStateException}; inject {@link DPoPContext} to test for it instead.</li>
 * </ul>
 * The servlet filter ({@code dpop-servlet}) and the Jakarta REST filter ({@code dpop-jaxrs}) use this
 * validator unless they are configured with their own settings, so the application keeps one replay
 * store.
 *
 * <p>A bad setting fails the deployment (when the settings name an access-token source, the validator
 * is built as the application starts) with a message naming the key and the sources consulted. The
 * validator is closed when the application stops.
 *
 * <p>Thread-safe. The validator is built once, under a lock.
 */
@ApplicationScoped
public class DPoPProducer {

    private static final Logger LOG = System.getLogger(DPoPProducer.class.getName());

    /** Created by the CDI container; an application never creates one. */
    public DPoPProducer() {
    }

    @Inject
    Instance<ReplayStore> replayStores;

    @Inject
    Instance<AccessTokenResolver> accessTokenResolvers;

    @Inject
    Instance<NonceSource> nonceSources;

    @Inject
    Event<DPoPAuditEvent> auditEvents;

    @Inject
    Instance<AuditListener> auditListeners;

    @Inject
    Instance<IssuerCallListener> issuerCallListeners;

    @Inject
    Instance<HttpServletRequest> servletRequest;

    private ServletContext servletContext;
    private SettingsCascade cascade;
    private DPoPValidator validator;

    /**
     * Fails the deployment when an extension point has more than one bean, and, when the application
     * configures an access-token source through these settings (or provides a resolver bean), builds the
     * validator now so that a bad setting stops the deployment instead of failing the first request.
     *
     * @param started in a web application, its {@code ServletContext}, whose context params then come
     *     first among the settings (the container's injectable {@code ServletContext} is not usable this early)
     */
    void checkExtensionPoints(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (started instanceof ServletContext context) {
            synchronized (this) {
                servletContext = context;
            }
        }
        single(replayStores, ReplayStore.class, DPoPSettings.REPLAY_PROVIDER);
        boolean resolverBean = single(accessTokenResolvers, AccessTokenResolver.class, "dpop.token.jwks-uri").isPresent();
        single(nonceSources, NonceSource.class, DPoPSettings.NONCE_MODE);
        if (resolverBean || cascade().configuresTokenSource()) {
            validator();
        }
    }

    /** @return the application's {@code dpop.*} settings */
    @Produces
    @Dependent
    public DPoPSettings settings() {
        return cascade().settings();
    }

    /**
     * @return the application's validator, the same instance every time
     * @throws DPoPConfigurationException naming the key of a missing or invalid setting and the sources consulted
     */
    @Produces
    @Dependent
    public synchronized DPoPValidator validator() {
        if (validator == null) {
            try {
                validator = build(cascade().settings());
            } catch (DPoPConfigurationException e) {
                throw cascade().explain(e);
            }
        }
        return validator;
    }

    /** Closes the validator this producer built, when the application stops. */
    @PreDestroy
    synchronized void close() {
        if (validator != null) {
            validator.close();
            validator = null;
        }
    }

    private synchronized SettingsCascade cascade() {
        if (cascade == null) {
            cascade = SettingsCascade.forApplication(servletContext == null ? null
                    : ServletContextBoard.contextParams(servletContext));
        }
        return cascade;
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
        DPoPValidatorBuilder builder = DPoPValidator.builder().settings(source);
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
        builder.auditListener(new AuditFanOut(auditEvents, auditListeners.stream().toList()));
        List<IssuerCallListener> callListeners = issuerCallListeners.stream().toList();
        if (!callListeners.isEmpty()) {
            builder.issuerCallListener((endpoint, succeeded) -> callListeners.forEach(listener -> {
                try {
                    listener.onCall(endpoint, succeeded);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "DPoP issuer call listener " + listener.getClass().getName() + " failed", e);
                }
            }));
        }
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
}
