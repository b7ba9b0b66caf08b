package org.dpopj.jaxrs;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.AccessTokenQuery;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.DPoPPrincipal;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.core.http.TargetUriResolver;

/**
 * Admits a request to a {@link DPoPRequired} resource only with a valid DPoP proof bound to its access
 * token (RFC 9449 §7.1), or an unbound Bearer token in {@code dpop.mode=dpop-or-bearer}. Runs at
 * {@link Priorities#AUTHENTICATION}. It collects the method, the target URI (from
 * {@code UriInfo.getRequestUri()}, with the {@code dpop.htu.base-uri} and
 * {@code dpop.htu.trusted-proxies} rules of {@link TargetUriResolver}) and every {@code DPoP} and
 * {@code Authorization} field, calls the validator, and then either
 * <ul>
 * <li>sets a {@link SecurityContext} (principal from the token subject, see {@link DPoPPrincipal};
 *     scheme {@code "DPoP"}; roles are scopes when {@code dpop.roles-from-scopes=true}), stores the
 *     {@link DPoPResult} and the binding as request properties {@link DPoPAttributes#RESULT} and
 *     {@link DPoPAttributes#BINDING}, and checks the scopes of {@link DPoPRequired#scopes()}; or</li>
 * <li>aborts with the validator's challenge and a JSON error body.</li>
 * </ul>
 * When the request already carries a {@link DPoPResult} (the servlet filter validated it; Jakarta REST
 * request properties are the servlet request's attributes), it is reused: the scopes are checked, but
 * the proof is not validated and its {@code jti} not spent a second time.
 *
 * <p>The validator, in order: the one given to the constructor; the application's, published as the
 * {@code ServletContext} attribute {@link DPoPAttributes#VALIDATOR} by the servlet filter; the CDI bean
 * of type {@link DPoPValidator} (dpop-cdi); else one built once from the settings. Settings (for the
 * validator, the target URI and {@code dpop.roles-from-scopes}) are read from the Jakarta REST
 * application's properties, else the {@code ServletContext} init-params, else the CDI bean of type
 * {@link DPoPSettings} (dpop-cdi: MicroProfile Config), else system properties. A bad setting fails the
 * first request with the key named in the log; configure the servlet filter or dpop-cdi to fail at
 * start-up instead.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
@Provider
@DPoPRequired
@Priority(Priorities.AUTHENTICATION)
public class DPoPContainerRequestFilter implements ContainerRequestFilter {

    /** Request property set to {@code Boolean.TRUE} when this filter (not the servlet filter) validated. */
    static final String VALIDATED_HERE = DPoPContainerRequestFilter.class.getName() + ".validated";

    private static final Logger LOG = System.getLogger(DPoPContainerRequestFilter.class.getName());

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private Configuration configuration;

    @Context
    private HttpServletRequest servletRequest;

    private final DPoPValidator givenValidator;
    private final TargetUriResolver givenResolver;
    private final Object lock = new Object();
    private volatile Setup setup;

    /** For discovery by the Jakarta REST runtime; everything is configured on the first request. */
    public DPoPContainerRequestFilter() {
        this(null, null);
    }

    /**
     * For explicit registration.
     *
     * @param validator the validator, or {@code null} to find one as described above
     * @param targetUriResolver how the target URI is worked out, or {@code null} to read it from the settings
     */
    public DPoPContainerRequestFilter(DPoPValidator validator, TargetUriResolver targetUriResolver) {
        this.givenValidator = validator;
        this.givenResolver = targetUriResolver;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Setup current = setup();
        DPoPResult result;
        if (request.getProperty(DPoPResult.ATTRIBUTE) instanceof DPoPResult earlier) {
            result = earlier;
        } else {
            try {
                result = current.validator.validate(JaxRsRequests.toDPoPRequest(request, current.resolver, remoteAddress(), wireMethod(),
                        servletFormToken(request)));
            } catch (DPoPException e) {
                request.abortWith(refusal(current.validator, e));
                return;
            } catch (RuntimeException e) {
                request.abortWith(refusal(current.validator, ErrorResponses.unexpected(e)));
                return;
            }
            request.setProperty(DPoPAttributes.RESULT, result);
            result.binding().ifPresent(binding -> request.setProperty(DPoPAttributes.BINDING, binding));
            request.setProperty(VALIDATED_HERE, Boolean.TRUE);
        }
        try {
            result.requireScopes(requiredScopes());
        } catch (DPoPException e) {
            request.abortWith(refusal(current.validator, e));
            return;
        }
        request.setSecurityContext(new DPoPSecurityContext(DPoPPrincipal.of(result), request.getSecurityContext(),
                current.rolesFromScopes));
    }

    /** @return the scopes of the method's {@link DPoPRequired}, else the class's; none without either */
    List<String> requiredScopes() {
        if (resourceInfo == null) {
            return List.of();
        }
        Method method = resourceInfo.getResourceMethod();
        DPoPRequired required = method == null ? null : method.getAnnotation(DPoPRequired.class);
        if (required == null && resourceInfo.getResourceClass() != null) {
            required = resourceInfo.getResourceClass().getAnnotation(DPoPRequired.class);
        }
        return required == null ? List.of() : Arrays.asList(required.scopes());
    }

    /** The challenge as a response: status, every challenge header, and the JSON body when there is an error code. */
    static Response refusal(DPoPValidator validator, DPoPException failure) {
        HttpChallenge challenge = validator.challenge(failure);
        Response.ResponseBuilder response = Response.status(challenge.status());
        for (HttpChallenge.Header header : challenge.headers()) {
            response.header(header.name(), header.value());
        }
        ErrorResponses.jsonBody(failure).ifPresent(body -> response.entity(body).type(ErrorResponses.JSON_MEDIA_TYPE));
        return response.build();
    }

    /**
     * @return the method as it came over the wire, or {@code null} when unknown. Jersey answers HEAD with
     *     the GET resource method and then reports GET in the request context, so the context's method
     *     cannot be trusted for {@code htm}.
     */
    private String wireMethod() {
        try {
            return servletRequest == null ? null : servletRequest.getMethod();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * How to look for {@code access_token} in a form body without taking the form away from the resource.
     * Runtimes differ: RESTEasy (WildFly, Open Liberty) reads {@code @FormParam} from the servlet request's
     * parameters, so the form must be read there; Jersey (Payara) reads it only from its entity stream,
     * which parsing the servlet parameters would drain, so the entity is buffered and put back instead.
     * Both paths are exercised on all three servers by the integration suite.
     *
     * @return a check of the container-parsed form parameters, or {@code null} to buffer the entity
     */
    private java.util.function.BooleanSupplier servletFormToken(ContainerRequestContext request) {
        if (request.getClass().getName().startsWith("org.glassfish.jersey.")) {
            return null;
        }
        try {
            if (servletRequest == null || servletRequest.getMethod() == null) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        HttpServletRequest current = servletRequest;
        return () -> AccessTokenQuery.isForm(current.getContentType()) && current.getParameterValues("access_token") != null;
    }

    private String remoteAddress() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Setup setup() {
        Setup current = setup;
        if (current == null) {
            synchronized (lock) {
                current = setup;
                if (current == null) {
                    current = createSetup();
                    setup = current;
                }
            }
        }
        return current;
    }

    private Setup createSetup() {
        Optional<Object> context = servletContextAttribute();
        DPoPSettings settings = DPoPSettings.from(this::applicationProperty)
                .orElse(DPoPSettings.from(this::contextInitParameter))
                .orElse(Cdi.lookup(DPoPSettings.class).orElse(DPoPSettings.fromSystemProperties()));
        try {
            TargetUriResolver resolver = givenResolver != null ? givenResolver : TargetUriResolver.from(settings);
            boolean rolesFromScopes = settings.bool(DPoPSettings.ROLES_FROM_SCOPES).orElse(false);
            DPoPValidator validator = givenValidator;
            if (validator == null && context.orElse(null) instanceof DPoPValidator shared) {
                validator = shared;
            }
            if (validator == null) {
                validator = Cdi.lookup(DPoPValidator.class).orElse(null);
            }
            if (validator == null) {
                validator = DPoPValidator.builder().settings(settings).build();
            }
            return new Setup(validator, resolver, rolesFromScopes);
        } catch (org.dpopj.core.DPoPConfigurationException e) {
            LOG.log(Level.ERROR, "DPoP Jakarta REST filter: invalid setting " + e.key() + " (" + e.getMessage() + ")");
            throw e;
        }
    }

    private String applicationProperty(String key) {
        Object value = configuration == null ? null : configuration.getProperty(key);
        return value == null ? null : value.toString();
    }

    private String contextInitParameter(String key) {
        try {
            return servletRequest == null ? null : servletRequest.getServletContext().getInitParameter(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Optional<Object> servletContextAttribute() {
        try {
            return servletRequest == null ? Optional.empty()
                    : Optional.ofNullable(servletRequest.getServletContext().getAttribute(DPoPAttributes.VALIDATOR));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the filter works with, fixed on the first request. */
    private record Setup(DPoPValidator validator, TargetUriResolver resolver, boolean rolesFromScopes) {
    }

    /** The caller as Jakarta REST sees it. Immutable. */
    static final class DPoPSecurityContext implements SecurityContext {
        private final DPoPPrincipal principal;
        private final boolean secure;
        private final boolean rolesFromScopes;
        private final SecurityContext original;

        DPoPSecurityContext(DPoPPrincipal principal, SecurityContext original, boolean rolesFromScopes) {
            this.principal = principal;
            this.original = original;
            this.secure = original != null && original.isSecure();
            this.rolesFromScopes = rolesFromScopes;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            if (rolesFromScopes) {
                return role != null && principal.result().scopes().contains(role);
            }
            return original != null && original.isUserInRole(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return principal.authenticationScheme();
        }
    }

    /** Looks beans up in CDI; every CDI type stays inside, so a runtime without CDI never loads one. */
    static final class Cdi {
        private Cdi() {
        }

        static <T> Optional<T> lookup(Class<T> type) {
            try {
                jakarta.enterprise.inject.Instance<T> instance = jakarta.enterprise.inject.spi.CDI.current().select(type);
                return instance.isResolvable() ? Optional.of(instance.get()) : Optional.empty();
            } catch (IllegalStateException | LinkageError e) {
                return Optional.empty();
            }
        }
    }
}
