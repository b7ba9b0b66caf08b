package org.dpopj.security;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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
 * <p>Thread-safe; the set-up is obtained once, on the first request.
 */
@ApplicationScoped
public class DPoPAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = System.getLogger(DPoPAuthenticationMechanism.class.getName());

    private final Object lock = new Object();
    private volatile Mechanism mechanism;

    /** Created by the CDI container. */
    public DPoPAuthenticationMechanism() {
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) throws AuthenticationException {
        boolean validated = request.getAttribute(DPoPAttributes.RESULT) instanceof DPoPResult;
        if (!validated && !context.isProtected() && !presentsCredentials(request)) {
            return context.doNothing();
        }
        Mechanism current = mechanism(request.getServletContext(), response);
        if (current == null) {
            return AuthenticationStatus.SEND_FAILURE;
        }
        DPoPValidator validator = current.setup().validator();
        Optional<DPoPResult> earlier = ServletRequests.earlierResult(request, validator);
        DPoPResult result;
        if (earlier.isPresent()) {
            result = earlier.get();
        } else {
            try {
                result = validator.validate(ServletRequests.toDPoPRequest(request, current.setup().targetUriResolver()));
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
