package org.dpopj.jaxrs;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;

import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.TargetUriResolver;

/**
 * Protects every resource of a Jakarta REST application with DPoP, not only {@link DPoPRequired} ones:
 * {@code register(DPoPFeature.class)} in the {@code Application} (or list it in {@code getClasses()}).
 * It registers unbound copies of {@link DPoPContainerRequestFilter} and
 * {@link DPoPContainerResponseFilter}; {@link DPoPRequired#scopes()} still adds scope requirements.
 * Not annotated with {@code @Provider}, so that it is never enabled by classpath scanning. A validator
 * the filter builds is closed when the web application stops (see {@link org.dpopj.jaxrs.internal.JaxRsLifecycle}).
 *
 * <p>Thread-safe.
 */
public final class DPoPFeature implements Feature {

    private final DPoPValidator validator;
    private final TargetUriResolver targetUriResolver;

    /** Finds the validator and the settings as {@link DPoPContainerRequestFilter} describes. */
    public DPoPFeature() {
        this(null, null);
    }

    /**
     * @param validator the validator, or {@code null} to find one
     * @param targetUriResolver how the target URI is worked out, or {@code null} to read it from the settings
     */
    public DPoPFeature(DPoPValidator validator, TargetUriResolver targetUriResolver) {
        this.validator = validator;
        this.targetUriResolver = targetUriResolver;
    }

    @Override
    public boolean configure(FeatureContext context) {
        context.register(new GlobalRequestFilter(validator, targetUriResolver), Priorities.AUTHENTICATION);
        context.register(new GlobalResponseFilter(), Priorities.AUTHENTICATION);
        return true;
    }

    /** The request filter without the name binding (annotations are not inherited), applied to every resource. */
    static final class GlobalRequestFilter extends DPoPContainerRequestFilter {
        GlobalRequestFilter(DPoPValidator validator, TargetUriResolver targetUriResolver) {
            super(validator, targetUriResolver);
        }
    }

    /** The response filter without the name binding, applied to every resource. */
    static final class GlobalResponseFilter extends DPoPContainerResponseFilter {
    }
}
