package org.dpopj.security;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.servlet.internal.AdapterSetup;
import org.dpopj.servlet.internal.FilterValidators;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.ServletRequests;
import org.dpopj.servlet.internal.SettingsCascade;

/**
 * A Jakarta Security {@link HttpAuthenticationMechanism} that validates DPoP requests (RFC 9449 §7.1)
 * with the application's {@link DPoPValidator} and tells the container who the caller is, so that
 * {@code @RolesAllowed} (Jakarta REST resources, enterprise beans), {@code <security-constraint>},
 * {@code SecurityContext.getCallerPrincipal()}/{@code isCallerInRole} and
 * {@code HttpServletRequest.getRemoteUser()}/{@code isUserInRole} see it. A WAR that bundles
 * {@code dpop-security} gets this mechanism (a CDI bean of its {@code beans.xml}); it needs no code.
 *
 * <p>For each request the container asks about:
 * <ul>
 * <li>a request already validated with the same validator (a {@link DPoPResult} in the request
 *     attribute {@link DPoPAttributes#RESULT}) is not validated again;</li>
 * <li>a request without DPoP credentials (no {@code Authorization} of scheme {@code DPoP} or
 *     {@code Bearer}) to an unprotected resource is left alone;</li>
 * <li>any other request is validated; a failure is answered with the challenge the filters write
 *     (status, {@code WWW-Authenticate: DPoP}, {@code DPoP-Nonce}, JSON body) and the container
 *     denies the call; a success leaves the result in {@link DPoPAttributes#RESULT} and the binding in
 *     {@link DPoPAttributes#BINDING} (where the filters and dpop-cdi's {@code DPoPBinding} find them, so
 *     the proof's {@code jti} is spent once) and logs the caller in: a {@link DPoPCallerPrincipal} and
 *     its groups (also kept in the request attributes {@link DPoPAttributes#CALLER_NAME} and
 *     {@link DPoPAttributes#CALLER_GROUPS}, where dpop-cdi's {@code JsonWebToken} finds them).</li>
 * </ul>
 * The caller's name and groups follow {@code dpop.security.principal-claim},
 * {@code dpop.security.groups-from-scopes} (default {@code true}), {@code dpop.security.roles-claim}
 * (a dotted path such as Keycloak's {@code realm_access.roles}), {@code dpop.security.role-prefix} and
 * {@code dpop.security.role-mapping}. A token without the configured principal claim is refused (401
 * {@code invalid_token}).
 *
 * <p>The validator is found as the filters find it ({@link AdapterSetup}): the one published in the
 * {@code ServletContext}, else dpop-cdi's bean, else one built from the application's settings (context
 * params, MicroProfile Config, system properties). While the settings are wrong every request gets 503
 * with {@code Retry-After} and the log names the key.
 *
 * <p><b>Beside another mechanism</b> (MicroProfile JWT's, which Payara installs for a {@code @LoginConfig}
 * application, or one of Jakarta Security's built-in mechanisms): Jakarta Security 3.0 gives an application
 * one mechanism, so this one is an alternative of library priority ({@value #PRIORITY}) that the
 * container chooses, and it hands every request without {@code Authorization: DPoP} (Bearer tokens,
 * form logins, requests without credentials) to the other mechanism, whose answer it returns
 * unchanged; {@code Authorization: DPoP} requests are its own. A DPoP-bound token sent as {@code Bearer}
 * then reaches the other mechanism: keep {@code BoundBearerFilter} on its paths. Tested beside Payara's
 * MP-JWT mechanism; beside a built-in mechanism it works the same way but is not tested.
 *
 * <p>Thread-safe; the set-up is obtained once, on the first request.
 */
@ApplicationScoped
@Alternative
@Priority(DPoPAuthenticationMechanism.PRIORITY)
public class DPoPAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** {@code jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE}: an application's own alternative wins. */
    static final int PRIORITY = 1000;

    private static final Logger LOG = System.getLogger(DPoPAuthenticationMechanism.class.getName());

    /** Request attribute: this request went to the application's other mechanism. */
    static final String DELEGATED = DPoPAuthenticationMechanism.class.getName() + ".delegated";

    private final Object lock = new Object();
    private volatile Mechanism mechanism;
    private volatile Optional<HttpAuthenticationMechanism> other;

    @Inject
    BeanManager beans;

    /** Created by the CDI container. */
    public DPoPAuthenticationMechanism() {
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) throws AuthenticationException {
        boolean validated = request.getAttribute(DPoPAttributes.RESULT) instanceof DPoPResult;
        Optional<HttpAuthenticationMechanism> other = other();
        if (other.isPresent() && !validated && !presentsDPoP(request)) {
            request.setAttribute(DELEGATED, Boolean.TRUE);
            return other.get().validateRequest(request, response, context);
        }
        if (!validated && !context.isProtected() && !presentsCredentials(request)) {
            return context.doNothing();
        }
        Mechanism current = mechanism(request.getServletContext(), response);
        if (current == null) {
            return AuthenticationStatus.SEND_FAILURE;
        }
        // the DPoPFilter with its own validator that will guard this request decides it, once
        AdapterSetup setup = current.setup();
        try {
            setup = FilterValidators.forRequest(request).orElse(setup);
        } catch (RuntimeException e) {
            // e.g. that filter's settings are invalid: it reports them itself; the application's validator decides here
            LOG.log(Level.DEBUG, "DPoP authentication mechanism: no filter validator for this request: {0}", e.toString());
        }
        DPoPValidator validator = setup.validator();
        Optional<DPoPResult> earlier = ServletRequests.earlierResult(request, validator);
        DPoPResult result;
        if (earlier.isPresent()) {
            result = earlier.get();
        } else {
            try {
                result = validator.validate(ServletRequests.toDPoPRequest(request, setup.targetUriResolver()));
            } catch (DPoPException e) {
                return refuse(validator, response, e);
            } catch (RuntimeException e) {
                return refuse(validator, response, ErrorResponses.unexpected(e));
            }
            ServletRequests.store(request, result, validator);
            result.responseNonce().ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
        }
        Optional<String> name = current.callers().callerName(result);
        if (name.isEmpty()) {
            return refuse(validator, response, DPoPException.invalidToken(Check.ACCESS_TOKEN,
                    "The access token does not name the caller").withScheme(result.scheme()));
        }
        Set<String> groups = Set.copyOf(current.callers().groups(result));
        request.setAttribute(DPoPAttributes.CALLER_NAME, name.get());
        request.setAttribute(DPoPAttributes.CALLER_GROUPS, groups);
        return context.notifyContainerAboutLogin(new DPoPCallerPrincipal(name.get(), result), groups);
    }

    @Override
    public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context) throws AuthenticationException {
        Optional<HttpAuthenticationMechanism> other = other();
        if (other.isPresent() && request.getAttribute(DELEGATED) != null) {
            return other.get().secureResponse(request, response, context);
        }
        return HttpAuthenticationMechanism.super.secureResponse(request, response, context);
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        Optional<HttpAuthenticationMechanism> other = other();
        if (other.isPresent() && request.getAttribute(DELEGATED) != null) {
            other.get().cleanSubject(request, response, context);
            return;
        }
        HttpAuthenticationMechanism.super.cleanSubject(request, response, context);
    }

    /**
     * The application's other mechanism (MP-JWT's, or one of Jakarta Security's built-in ones), which this
     * alternative hides from the container's resolution and hands every request without
     * {@code Authorization: DPoP}; looked up once.
     */
    private Optional<HttpAuthenticationMechanism> other() {
        Optional<HttpAuthenticationMechanism> current = other;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (other == null) {
                other = findOther();
                other.ifPresent(found -> LOG.log(Level.INFO, "DPoP authentication mechanism: requests without "
                        + "Authorization: DPoP go to the application's other mechanism, " + found.getClass().getName()));
            }
            return other;
        }
    }

    private Optional<HttpAuthenticationMechanism> findOther() {
        if (beans == null) {
            return Optional.empty();
        }
        Set<Bean<?>> others = beans.getBeans(HttpAuthenticationMechanism.class).stream()
                .filter(bean -> !DPoPAuthenticationMechanism.class.isAssignableFrom(bean.getBeanClass()))
                .collect(Collectors.toSet());
        if (others.isEmpty()) {
            return Optional.empty();
        }
        Bean<?> bean;
        try {
            bean = beans.resolve(others);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DPoP authentication mechanism: several other mechanisms, none is used: " + others);
            return Optional.empty();
        }
        return bean == null ? Optional.empty() : Optional.of((HttpAuthenticationMechanism)
                beans.getReference(bean, HttpAuthenticationMechanism.class, beans.createCreationalContext(bean)));
    }

    /** Whether the request presents {@code Authorization: DPoP}, the one credential kept from another mechanism. */
    static boolean presentsDPoP(HttpServletRequest request) {
        for (String authorization : ServletRequests.headers(request, "Authorization")) {
            String value = authorization.stripLeading();
            if (value.regionMatches(true, 0, "DPoP", 0, 4) && (value.length() == 4 || value.charAt(4) == ' ')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the request presents a credential of ours: an {@code Authorization} of scheme {@code DPoP}
     * or {@code Bearer}. A {@code DPoP} field alone is not one: a token request to an authorization
     * server in the same application carries a proof and no access token.
     */
    static boolean presentsCredentials(HttpServletRequest request) {
        for (String authorization : ServletRequests.headers(request, "Authorization")) {
            String value = authorization.stripLeading().toLowerCase(Locale.ROOT);
            if (value.startsWith("dpop") || value.startsWith("bearer")) {
                return true;
            }
        }
        return false;
    }

    private static AuthenticationStatus refuse(DPoPValidator validator, HttpServletResponse response, DPoPException failure)
            throws AuthenticationException {
        try {
            ServletRequests.refuse(validator, response, failure);
        } catch (IOException e) {
            throw new AuthenticationException("cannot write the DPoP challenge", e);
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    /** @return the set-up, or {@code null} after answering 503 because the settings are wrong */
    private Mechanism mechanism(ServletContext servletContext, HttpServletResponse response)
            throws AuthenticationException {
        Mechanism current = mechanism;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (mechanism == null) {
                SettingsCascade cascade = SettingsCascade.forApplication(ServletContextBoard.contextParams(servletContext));
                try {
                    CallerMapping callers;
                    try {
                        callers = CallerMapping.from(cascade.settings());
                    } catch (DPoPConfigurationException e) {
                        throw cascade.explain(e);
                    }
                    mechanism = new Mechanism(AdapterSetup.obtain(cascade, null, null,
                            ServletContextBoard.of(servletContext)), callers);
                } catch (DPoPConfigurationException e) {
                    LOG.log(Level.ERROR, "DPoP authentication mechanism: invalid setting " + e.getMessage());
                    unavailable(cascade, response);
                    return null;
                }
            }
            return mechanism;
        }
    }

    private static void unavailable(SettingsCascade cascade, HttpServletResponse response) throws AuthenticationException {
        HttpChallenge challenge = AdapterSetup.unavailable(cascade);
        response.setStatus(challenge.status());
        challenge.headers().forEach(header -> response.setHeader(header.name(), header.value()));
        try {
            response.flushBuffer();
        } catch (IOException e) {
            throw new AuthenticationException("cannot answer 503", e);
        }
    }

    /** Withdraws and closes a validator the mechanism built, when the application stops. */
    @PreDestroy
    void close() {
        synchronized (lock) {
            if (mechanism != null) {
                mechanism.setup().close();
                mechanism = null;
            }
        }
    }

    private record Mechanism(AdapterSetup setup, CallerMapping callers) {
    }
}
