package org.dpopj.servlet;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.core.http.TargetUriResolver;

/**
 * A servlet filter that admits only requests with a valid DPoP proof bound to their access token
 * (RFC 9449 §7.1), or an unbound Bearer token in {@code dpop.mode=dpop-or-bearer}. It collects the
 * request's method, target URI and every {@code DPoP} and {@code Authorization} field into a
 * {@link org.dpopj.core.DPoPRequest}, calls the {@link DPoPValidator}, and then either
 * <ul>
 * <li>passes the request on with the {@link DPoPResult} in the request attribute
 *     {@link DPoPResult#ATTRIBUTE} and the binding in {@link DPoPAttributes#BINDING}, wrapped so that
 *     {@code getUserPrincipal()}, {@code getRemoteUser()}, {@code getAuthType()} ({@code "DPoP"} or
 *     {@code "Bearer"}) and, with {@code dpop.roles-from-scopes=true}, {@code isUserInRole(scope)}
 *     report the caller, and with a rotated {@code DPoP-Nonce} on the response, re-applied if the
 *     application calls {@code reset()}; or</li>
 * <li>answers with the validator's challenge (status, {@code WWW-Authenticate}, {@code DPoP-Nonce},
 *     {@code Cache-Control}) and a JSON error body, without calling the chain.</li>
 * </ul>
 * A request that already carries a {@link DPoPResult} (validated by another instance of this filter,
 * for example before a forward) is not validated again, so its {@code jti} is spent once.
 *
 * <p>Registration in {@code web.xml}, with init-params named like the {@code dpop.*} settings:
 * <pre>{@code
 * <filter>
 *   <filter-name>dpop</filter-name>
 *   <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
 *   <init-param><param-name>dpop.token.jwks-uri</param-name><param-value>https://issuer/jwks</param-value></init-param>
 *   <init-param><param-name>dpop.scopes</param-name><param-value>orders.read</param-value></init-param>
 * </filter>
 * <filter-mapping><filter-name>dpop</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>
 * }</pre>
 * or programmatically: {@code servletContext.addFilter("dpop", new DPoPFilter(validator, resolver))}.
 *
 * <p>Settings are read from the filter's init-params, else the context's init-params
 * ({@code <context-param>}), else the CDI bean of type {@link DPoPSettings} when dpop-cdi is deployed
 * (MicroProfile Config, then system properties), else system properties. Besides the validator's keys, the filter reads
 * {@value #SCOPES} (scopes every request must carry, separated by spaces or commas; a missing one is
 * answered 403 {@code insufficient_scope}), {@code dpop.roles-from-scopes}, {@code dpop.htu.base-uri}
 * and {@code dpop.htu.trusted-proxies} (see {@link TargetUriResolver}). A bad setting makes
 * {@link #init} throw a {@link ServletException} naming the key, so the application does not start.
 *
 * <p>The validator, in order: the one given to the constructor; one built from the filter's own
 * validator init-params, if it has any; the application's, published as the {@code ServletContext}
 * attribute {@link DPoPAttributes#VALIDATOR}; the CDI bean of type {@link DPoPValidator} (dpop-cdi),
 * when CDI is present and the bean resolvable; else one built from the context init-params and system
 * properties. The validator the filter ends up with is published as that attribute when none is yet,
 * so that the Jakarta REST filter and further filters share it (one replay store per application).
 *
 * <p>Thread-safe once initialised, as the servlet specification requires. Access tokens in the query
 * string are noticed and refused; a form body is not read (see
 * {@link org.dpopj.core.http.AccessTokenQuery}).
 */
public final class DPoPFilter implements Filter {

    /** Init-param: scopes every request through this filter must carry, separated by spaces or commas. */
    public static final String SCOPES = "dpop.scopes";

    /** Settings the filter itself reads; any other {@code dpop.*} init-param configures its own validator. */
    private static final Set<String> FILTER_KEYS = Set.of(SCOPES, DPoPSettings.ROLES_FROM_SCOPES,
            DPoPSettings.HTU_BASE_URI, DPoPSettings.HTU_TRUSTED_PROXIES);

    private static final Logger LOG = System.getLogger(DPoPFilter.class.getName());
    private static final String TOKEN_KEYS = "dpop.token.";

    private final DPoPValidator givenValidator;
    private final TargetUriResolver givenResolver;

    private volatile DPoPValidator validator;
    private volatile TargetUriResolver targetUriResolver;
    private volatile List<String> requiredScopes = List.of();
    private volatile boolean rolesFromScopes;

    /** For containers ({@code web.xml}); everything is configured in {@link #init}. */
    public DPoPFilter() {
        this.givenValidator = null;
        this.givenResolver = null;
    }

    /**
     * For programmatic registration. Init-params still set {@value #SCOPES} and
     * {@code dpop.roles-from-scopes}.
     *
     * @param validator the validator to use; not {@code null}
     * @param targetUriResolver how the target URI is worked out; not {@code null}
     */
    public DPoPFilter(DPoPValidator validator, TargetUriResolver targetUriResolver) {
        this.givenValidator = Objects.requireNonNull(validator, "validator");
        this.givenResolver = Objects.requireNonNull(targetUriResolver, "targetUriResolver");
        this.validator = givenValidator;
        this.targetUriResolver = givenResolver;
    }

    /**
     * Reads the settings and obtains the validator.
     *
     * @throws ServletException naming the {@code dpop.*} key when a setting is missing or invalid
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        ServletContext context = config.getServletContext();
        DPoPSettings filterSettings = DPoPSettings.from(config::getInitParameter);
        DPoPSettings inherited = DPoPSettings.from(context::getInitParameter)
                .orElse(Cdi.lookup(DPoPSettings.class).orElse(DPoPSettings.fromSystemProperties()));
        // a filter that names its own token source takes none of the application's token settings:
        // mixing, say, its introspection endpoint with the application's JWKS would be a contradiction
        if (Collections.list(config.getInitParameterNames()).stream().anyMatch(name -> name.startsWith(TOKEN_KEYS))) {
            DPoPSettings everything = inherited;
            inherited = DPoPSettings.from(key -> key.startsWith(TOKEN_KEYS) ? null : everything.string(key).orElse(null));
        }
        DPoPSettings settings = filterSettings.orElse(inherited);
        try {
            requiredScopes = ErrorResponses.scopes(config.getInitParameter(SCOPES));
            rolesFromScopes = settings.bool(DPoPSettings.ROLES_FROM_SCOPES).orElse(false);
            targetUriResolver = givenResolver != null ? givenResolver : TargetUriResolver.from(settings);
            validator = givenValidator != null ? givenValidator : obtainValidator(config, settings);
        } catch (DPoPConfigurationException e) {
            throw new ServletException("DPoP filter " + config.getFilterName() + ": invalid setting "
                    + e.key() + " (" + e.getMessage() + ")", e);
        }
        // a filter configured with settings of its own keeps its validator to itself: publishing it would
        // impose, say, its nonce requirement on every other adapter of the application
        if ((givenValidator != null || !hasOwnSettings(config)) && context.getAttribute(DPoPAttributes.VALIDATOR) == null) {
            context.setAttribute(DPoPAttributes.VALIDATOR, validator);
        }
    }

    /** @return whether the filter's init-params configure a validator of its own (beyond scopes and roles) */
    private static boolean hasOwnSettings(FilterConfig config) {
        return Collections.list(config.getInitParameterNames()).stream()
                .anyMatch(name -> name.startsWith("dpop.") && !FILTER_KEYS.contains(name));
    }

    private static DPoPValidator obtainValidator(FilterConfig config, DPoPSettings settings) {
        if (hasOwnSettings(config)) {
            return DPoPValidator.builder().settings(settings).build();
        }
        Object published = config.getServletContext().getAttribute(DPoPAttributes.VALIDATOR);
        if (published instanceof DPoPValidator shared) {
            return shared;
        }
        Optional<DPoPValidator> cdi = Cdi.lookup(DPoPValidator.class);
        if (cdi.isPresent()) {
            LOG.log(Level.DEBUG, "DPoP filter {0} uses the CDI DPoPValidator", config.getFilterName());
            return cdi.get();
        }
        return DPoPValidator.builder().settings(settings).build();
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        DPoPValidator current = validator;
        if (current == null) {
            throw new ServletException("DPoP filter used before init()");
        }
        DPoPResult result;
        if (request.getAttribute(DPoPResult.ATTRIBUTE) instanceof DPoPResult earlier) {
            result = earlier;
        } else {
            try {
                result = current.validate(ServletRequests.toDPoPRequest(request, targetUriResolver));
            } catch (DPoPException e) {
                refuse(current, response, e);
                return;
            } catch (RuntimeException e) {
                refuse(current, response, ErrorResponses.unexpected(e));
                return;
            }
            request.setAttribute(DPoPAttributes.RESULT, result);
            result.binding().ifPresent(binding -> request.setAttribute(DPoPAttributes.BINDING, binding));
        }
        try {
            result.requireScopes(requiredScopes);
        } catch (DPoPException e) {
            refuse(current, response, e);
            return;
        }
        HttpServletResponse out = result.responseNonce()
                .<HttpServletResponse>map(nonce -> new NonceResponse(response, nonce))
                .orElse(response);
        chain.doFilter(new AuthenticatedRequest(request, result, rolesFromScopes), out);
    }

    /** Writes the challenge: status, headers, and the JSON error body when the failure has an error code. */
    static void refuse(DPoPValidator validator, HttpServletResponse response, DPoPException failure)
            throws IOException {
        if (response.isCommitted()) {
            LOG.log(Level.WARNING, "DPoP filter cannot refuse a request whose response is already committed");
            return;
        }
        HttpChallenge challenge = validator.challenge(failure);
        response.setStatus(challenge.status());
        for (HttpChallenge.Header header : challenge.headers()) {
            response.addHeader(header.name(), header.value());
        }
        Optional<String> body = ErrorResponses.jsonBody(failure);
        if (body.isPresent()) {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            response.setContentType(ErrorResponses.JSON_MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } else {
            response.setContentLength(0);
        }
        response.flushBuffer();
    }

    @Override
    public void destroy() {
        // the validator may be shared with other filters and Jakarta REST; it holds no threads to stop
    }

    /** Looks beans up in CDI; every CDI type stays inside, so a container without CDI never loads one. */
    private static final class Cdi {
        static <T> Optional<T> lookup(Class<T> type) {
            try {
                jakarta.enterprise.inject.Instance<T> instance =
                        jakarta.enterprise.inject.spi.CDI.current().select(type);
                return instance.isResolvable() ? Optional.of(instance.get()) : Optional.empty();
            } catch (IllegalStateException | LinkageError e) {
                return Optional.empty();
            }
        }
    }
}
