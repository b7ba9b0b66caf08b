package org.dpopj.core.http;

import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;

/**
 * The attribute names through which the adapters share state without depending on each other: a
 * request attribute (servlet) is the same thing as a request property (Jakarta REST, which is backed
 * by the servlet request in a servlet container), and the application's validator is a
 * {@code ServletContext} attribute.
 *
 * <p>Constants only; thread-safe.
 */
public final class DPoPAttributes {

    /** Request attribute: the {@link DPoPResult} of the request, once validated. */
    public static final String RESULT = DPoPResult.ATTRIBUTE;

    /** Request attribute: the {@link DPoPBinding} of the request, once validated with the DPoP scheme. */
    public static final String BINDING = DPoPBinding.class.getName();

    /**
     * {@code ServletContext} attribute: the application's {@link DPoPValidator}, published by the first
     * servlet filter that obtained one and reused by the other filters and the Jakarta REST filter.
     */
    public static final String VALIDATOR = DPoPValidator.class.getName();

    /**
     * Request attribute: the caller's name (a {@code String}) as a Jakarta Security mechanism of the
     * library mapped it for the container ({@code dpop.security.principal-claim}), set with
     * {@link #CALLER_GROUPS} when it logged the caller in; dpop-cdi's {@code JsonWebToken} reports it.
     */
    public static final String CALLER_NAME = "org.dpopj.caller.name";

    /**
     * Request attribute: the caller's groups (an unmodifiable {@code Set<String>}) as a Jakarta Security
     * mechanism of the library mapped them for the container ({@code dpop.security.roles-claim},
     * {@code dpop.security.groups-from-scopes}, prefix and mapping).
     */
    public static final String CALLER_GROUPS = "org.dpopj.caller.groups";

    private DPoPAttributes() {
    }
}
