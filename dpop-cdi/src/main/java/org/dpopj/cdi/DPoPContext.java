package org.dpopj.cdi;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.http.DPoPAttributes;

/**
 * The DPoP outcome of the current request, for beans that also serve requests without one:
 * {@code @Inject DPoPContext dpop; dpop.binding().map(DPoPBinding::thumbprint)}. Filled by either
 * adapter (the servlet filter or the Jakarta REST filter) through the request attributes
 * {@link DPoPAttributes#RESULT} and {@link DPoPAttributes#BINDING}.
 *
 * <p>Request-scoped; read it during the request only. Not designed for extension: non-final only
 * so that CDI can proxy it.
 */
@RequestScoped
public class DPoPContext {

    @Inject
    Instance<HttpServletRequest> servletRequest;

    /** For CDI. */
    public DPoPContext() {
    }

    /** @return the key binding, present when the request was validated with the DPoP scheme */
    public Optional<DPoPBinding> binding() {
        return DPoPProducer.currentBinding(servletRequest);
    }

    /** @return the validation result, present when the request was validated (DPoP or Bearer) */
    public Optional<DPoPResult> result() {
        return DPoPProducer.attribute(servletRequest, DPoPAttributes.RESULT)
                .filter(DPoPResult.class::isInstance).map(DPoPResult.class::cast);
    }
}
