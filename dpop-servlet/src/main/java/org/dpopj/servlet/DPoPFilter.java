package org.dpopj.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.ErrorResponses;
import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.servlet.internal.AdapterSetup;
import org.dpopj.servlet.internal.FilterValidators;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.ServletRequests;
import org.dpopj.servlet.internal.SettingsCascade;

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
 * A request that already carries a {@link DPoPResult} from the same validator (validated by another
 * instance of this filter, for example before a forward, or by dpop-security's authentication
 * mechanism) is not validated again, so its {@code jti} is spent once. A result from another validator
 * is not trusted: a filter with validator settings of its own (nonces required, say) validates again,
 * so give it its own {@code dpop.replay.cache}, or the second validation sees the {@code jti} as a replay.
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
 * ({@code <context-param>}), else MicroProfile Config when the server has it, else system properties
 * (see {@link org.dpopj.servlet.internal.SettingsCascade}). Besides the validator's keys, the filter reads
 * {@value #SCOPES} (scopes every request must carry, separated by spaces or commas; a missing one is
 * answered 403 {@code insufficient_scope}), {@code dpop.roles-from-scopes}, {@code dpop.htu.base-uri}
 * and {@code dpop.htu.trusted-proxies} (see {@link TargetUriResolver}). A bad setting makes
 * {@link #init} throw a {@link ServletException} naming the key and the sources consulted, so the
 * application does not start.
 *
 * <p>The validator, in order: the one given to the constructor; one built from the filter's own
 * validator init-params, if it has any; the application's, published as the {@code ServletContext}
 * attribute {@link DPoPAttributes#VALIDATOR}; the CDI bean of type {@link DPoPValidator} (dpop-cdi),
 * when CDI is present and the bean resolvable; else one built from the settings above. The validator
 * the filter ends up with is published as that attribute when none is yet (unless it has settings of
 * its own), so that the Jakarta REST filter and further filters share it (one replay store per
 * application). {@link #destroy()} closes a validator the filter built, and never one it was given or found.
 *
 * <p>Thread-safe once initialised, as the servlet specification requires. Access tokens in the query
 * string are noticed and refused; a form body is not read (see
 * {@link org.dpopj.core.http.AccessTokenQuery}).
 */
public final class DPoPFilter implements Filter {

    /** Init-param: scopes every request through this filter must carry, separated by spaces or commas. */
    public static final String SCOPES = SettingsCascade.SCOPES;

    private final DPoPValidator givenValidator;
    private final TargetUriResolver givenResolver;

    private volatile AdapterSetup setup;
    private volatile List<String> requiredScopes = List.of();
    private volatile String filterName;
    private volatile ServletContext servletContext;

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
    }

    /**
     * Reads the settings and obtains the validator.
     *
     * @throws ServletException naming the {@code dpop.*} key and the sources consulted when a setting is
     *     missing or invalid
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        ServletContext context = config.getServletContext();
        SettingsCascade cascade = SettingsCascade.forAdapter(
                new SettingsCascade.Source("filter init-params", config::getInitParameter),
                Collections.list(config.getInitParameterNames()), ServletContextBoard.contextParams(context));
        try {
            requiredScopes = ErrorResponses.scopes(config.getInitParameter(SCOPES));
            if (givenValidator != null) {
                // dpop-security's mechanism, running before this filter, validates with this validator
                filterName = config.getFilterName();
                servletContext = context;
                setup = AdapterSetup.obtain(cascade, givenValidator, givenResolver, ServletContextBoard.of(context));
                FilterValidators.register(context, filterName, setup);
            } else if (cascade.ownValidatorSettings()) {
                // shared with the mechanism, which may have met this filter's first request before the
                // container initialised the filter: either way the request is validated once, by this validator
                filterName = config.getFilterName();
                servletContext = context;
                setup = FilterValidators.obtain(context, filterName,
                        () -> AdapterSetup.obtain(cascade, null, givenResolver, ServletContextBoard.of(context)));
            } else {
                setup = AdapterSetup.obtain(cascade, givenValidator, givenResolver, ServletContextBoard.of(context));
            }
        } catch (DPoPConfigurationException e) {
            // obtain() has named the source that set the key and every source consulted
            throw new ServletException("DPoP filter " + config.getFilterName() + ": invalid setting " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        AdapterSetup current = setup;
        if (current == null) {
            throw new ServletException("DPoP filter used before init()");
        }
        DPoPValidator validator = current.validator();
        DPoPResult result;
        Optional<DPoPResult> earlier = ServletRequests.earlierResult(request, validator);
        if (earlier.isPresent()) {
            result = earlier.get();
        } else {
            try {
                result = validator.validate(ServletRequests.toDPoPRequest(request, current.targetUriResolver()));
            } catch (DPoPException e) {
                ServletRequests.refuse(validator, response, e);
                return;
            } catch (RuntimeException e) {
                ServletRequests.refuse(validator, response, ErrorResponses.unexpected(e));
                return;
            }
            ServletRequests.store(request, result, validator);
        }
        try {
            validator.requireScopes(result, requiredScopes);
        } catch (DPoPException e) {
            ServletRequests.refuse(validator, response, e);
            return;
        }
        HttpServletResponse out = result.responseNonce()
                .<HttpServletResponse>map(nonce -> new NonceResponse(response, nonce))
                .orElse(response);
        chain.doFilter(new AuthenticatedRequest(request, result, current.rolesFromScopes()), out);
    }

    /** Closes the validator if this filter built it (from its own settings, or as the application's); a given or shared one stays open. */
    @Override
    public void destroy() {
        AdapterSetup current = setup;
        setup = null;
        if (current != null && filterName != null) {
            FilterValidators.withdraw(servletContext, filterName, current);
        }
        if (current != null) {
            current.close();
        }
    }
}
