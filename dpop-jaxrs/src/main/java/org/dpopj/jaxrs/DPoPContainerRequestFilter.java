package org.dpopj.jaxrs;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
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

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.DPoPPrincipal;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.servlet.internal.AdapterSetup;
import org.dpopj.servlet.internal.SettingsCascade;

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
 * <p>Settings are read from the Jakarta REST application's properties, else the {@code ServletContext}
 * init-params, else MicroProfile Config when the server has it, else system properties. The validator,
 * in order: the one given to the constructor; one built from the application properties when they
 * configure one; the application's, published as the {@code ServletContext} attribute
 * {@link DPoPAttributes#VALIDATOR}; the CDI bean of type {@link DPoPValidator} (dpop-cdi); else one built
 * from the settings. In a servlet container, dpop-jaxrs builds and publishes the application's validator
 * when the application starts (see {@link org.dpopj.jaxrs.internal.JaxRsLifecycle}), so a bad setting
 * fails the deployment; one this filter has to build itself is built on the first request, and a bad
 * setting then logs one line naming the key and the sources consulted, and every request is answered
 * 503 with {@code Retry-After}. What the filter built is closed when the application stops.
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
    private static final String APPLICATION_PROPERTIES = "Jakarta REST application properties";

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private Configuration configuration;

    @Context
    private HttpServletRequest servletRequest;

    private final DPoPValidator givenValidator;
    private final TargetUriResolver givenResolver;
    private final Object lock = new Object();
    private volatile State state;

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
        ServletView servlet = new ServletView(servletRequest);
        State current = state(servlet);
        if (current.setup() == null) {
            request.abortWith(refusal(current.unavailable(), Optional.empty()));
            return;
        }
        DPoPValidator validator = current.setup().validator();
        DPoPResult result;
        if (request.getProperty(DPoPResult.ATTRIBUTE) instanceof DPoPResult earlier) {
            result = earlier;
        } else {
            try {
                result = validator.validate(JaxRsRequests.toDPoPRequest(request, current.setup().targetUriResolver(),
                        servlet.remoteAddress(), servlet.method(), FormBodyTokens.check(request, servlet.request())));
            } catch (DPoPException e) {
                request.abortWith(refusal(validator, e));
                return;
            } catch (RuntimeException e) {
                request.abortWith(refusal(validator, ErrorResponses.unexpected(e)));
                return;
            }
            request.setProperty(DPoPAttributes.RESULT, result);
            result.binding().ifPresent(binding -> request.setProperty(DPoPAttributes.BINDING, binding));
            request.setProperty(VALIDATED_HERE, Boolean.TRUE);
        }
        try {
            validator.requireScopes(result, requiredScopes());
        } catch (DPoPException e) {
            request.abortWith(refusal(validator, e));
            return;
        }
        request.setSecurityContext(new DPoPSecurityContext(DPoPPrincipal.of(result), request.getSecurityContext(),
                current.setup().rolesFromScopes()));
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

    private static Response refusal(DPoPValidator validator, DPoPException failure) {
        return refusal(validator.challenge(failure), ErrorResponses.jsonBody(failure));
    }

    /** The challenge as a response: status, every challenge header, and the JSON body when there is one. */
    private static Response refusal(HttpChallenge challenge, Optional<String> body) {
        Response.ResponseBuilder response = Response.status(challenge.status());
        for (HttpChallenge.Header header : challenge.headers()) {
            response.header(header.name(), header.value());
        }
        body.ifPresent(json -> response.entity(json).type(ErrorResponses.JSON_MEDIA_TYPE));
        return response.build();
    }

    private State state(ServletView servlet) {
        State current = state;
        if (current == null) {
            synchronized (lock) {
                current = state;
                if (current == null) {
                    current = createState(servlet);
                    state = current;
                }
            }
        }
        return current;
    }

    private State createState(ServletView servlet) {
        Collection<String> names = configuration == null ? null : configuration.getPropertyNames();
        SettingsCascade cascade = SettingsCascade.forAdapter(new SettingsCascade.Source(APPLICATION_PROPERTIES,
                this::applicationProperty), names == null ? List.of() : names, servlet.contextParams());
        try {
            AdapterSetup setup = AdapterSetup.obtain(cascade, givenValidator, givenResolver, servlet.board());
            if (setup.owned()) {
                servlet.adopt(setup);
            }
            return new State(setup, null);
        } catch (DPoPConfigurationException e) {
            // one line, no stack trace: the message names the key and every source consulted
            LOG.log(Level.ERROR, "DPoP Jakarta REST filter: invalid setting " + e.getMessage()
                    + "; every request is answered 503 until the application is redeployed with it fixed");
            return new State(null, AdapterSetup.unavailable(cascade));
        }
    }

    private String applicationProperty(String key) {
        Object value = configuration == null ? null : configuration.getProperty(key);
        return value == null ? null : value.toString();
    }

    /** What the filter works with, fixed on the first request: a set-up, or the answer while the settings are wrong. */
    private record State(AdapterSetup setup, HttpChallenge unavailable) {
    }
}
