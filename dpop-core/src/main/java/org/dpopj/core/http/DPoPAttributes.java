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

    private DPoPAttributes() {
    }
}
