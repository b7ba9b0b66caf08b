package org.dpopj.servlet.internal;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code DPoPFilter}s of an application that validate with a validator of their own (their own
 * settings, or one given to them), by filter name, so that a component running before the filter chain
 * (dpop-security's authentication mechanism) validates a request with the validator of the filter
 * that will guard it, and that filter then finds the result instead of validating the proof a second
 * time. A filter registered with settings of its own is found by its registration (its init-params)
 * even before the container has initialised it; one given a validator, once its {@code init} ran. A
 * filter matches a request only by the servlet specification's exact, path-prefix
 * ({@code /a/*}) and extension ({@code *.x}) URL patterns, or by servlet name; when no such filter or
 * more than one with different validators matches, nothing is chosen and the caller keeps the
 * application's validator. Kept as a {@code ServletContext} attribute; thread-safe. Not API.
 */
public final class FilterValidators {

    private static final String ATTRIBUTE = FilterValidators.class.getName();
    private static final String FILTER_CLASS = "org.dpopj.servlet.DPoPFilter";

    private final Map<String, AdapterSetup> byFilter = new ConcurrentHashMap<>();

    private FilterValidators() {
    }

    /** Records that filter {@code name} of {@code context} validates with {@code setup}'s (given) validator. */
    public static void register(ServletContext context, String name, AdapterSetup setup) {
        of(context).byFilter.put(name, setup);
    }

    /**
     * @return the set-up of filter {@code name} of {@code context}, made by {@code create} if neither the
     *     filter's {@code init} nor the mechanism has made it yet (containers may initialise filters lazily,
     *     after the mechanism has seen the first request)
     */
    public static AdapterSetup obtain(ServletContext context, String name, Supplier<AdapterSetup> create) {
        return of(context).byFilter.computeIfAbsent(name, ignored -> create.get());
    }

    /** Forgets filter {@code name}, if it still validates with {@code setup}. */
    public static void withdraw(ServletContext context, String name, AdapterSetup setup) {
        if (context.getAttribute(ATTRIBUTE) instanceof FilterValidators filters) {
            filters.byFilter.remove(name, setup);
        }
    }

    /** @return the set-up of the one validator-owning filter that will see {@code request}, if there is one */
    public static Optional<AdapterSetup> forRequest(HttpServletRequest request) {
        ServletContext context = request.getServletContext();
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        HttpServletMapping mapping = request.getHttpServletMapping();
        String servletName = mapping == null ? null : mapping.getServletName();
        AdapterSetup chosen = null;
        for (FilterRegistration registration : context.getFilterRegistrations().values()) {
            if (!FILTER_CLASS.equals(registration.getClassName()) || !maps(registration, path, servletName)) {
                continue;
            }
            AdapterSetup setup = setupOf(context, registration);
            if (setup == null) {
                continue; // the filter shares the application's validator
            }
            if (chosen != null && chosen.validator() != setup.validator()) {
                return Optional.empty();
            }
            chosen = setup;
        }
        return Optional.ofNullable(chosen);
    }

    /** @return the filter's own set-up, or {@code null} when it validates with the application's validator */
    private static AdapterSetup setupOf(ServletContext context, FilterRegistration registration) {
        FilterValidators filters = of(context);
        AdapterSetup known = filters.byFilter.get(registration.getName());
        if (known != null) {
            return known;
        }
        SettingsCascade cascade = SettingsCascade.forAdapter(
                new SettingsCascade.Source("filter init-params", registration::getInitParameter),
                registration.getInitParameters().keySet(), ServletContextBoard.contextParams(context));
        if (!cascade.ownValidatorSettings()) {
            return null;
        }
        return obtain(context, registration.getName(),
                () -> AdapterSetup.obtain(cascade, null, null, ServletContextBoard.of(context)));
    }

    private static boolean maps(FilterRegistration registration, String path, String servletName) {
        // Open Liberty answers null rather than an empty collection
        Collection<String> servletNames = registration.getServletNameMappings();
        if (servletName != null && servletNames != null && servletNames.contains(servletName)) {
            return true;
        }
        Collection<String> patterns = registration.getUrlPatternMappings();
        if (patterns == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (matches(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether URL pattern {@code pattern} maps the context-relative {@code path} (Servlet 6.0
     *     §12.2): exact, {@code /prefix/*} or {@code *.extension}; the default ({@code /}) and the
     *     empty pattern match nothing here, so such a filter is never chosen
     */
    static boolean matches(String pattern, String path) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
        }
        if (pattern.startsWith("*.")) {
            int slash = path.lastIndexOf('/');
            return path.substring(slash + 1).endsWith(pattern.substring(1));
        }
        return !pattern.isEmpty() && !pattern.equals("/") && pattern.equals(path);
    }

    private static FilterValidators of(ServletContext context) {
        synchronized (FilterValidators.class) {
            if (context.getAttribute(ATTRIBUTE) instanceof FilterValidators filters) {
                return filters;
            }
            FilterValidators filters = new FilterValidators();
            context.setAttribute(ATTRIBUTE, filters);
            return filters;
        }
    }
}
