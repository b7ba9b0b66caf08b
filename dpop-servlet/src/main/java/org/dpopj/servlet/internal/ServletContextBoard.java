package org.dpopj.servlet.internal;

import java.util.Optional;

import jakarta.servlet.ServletContext;

import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;

/**
 * The application's validator as the {@code ServletContext} attribute {@link DPoPAttributes#VALIDATOR},
 * and the context parameters as a settings source. Thread-safe: the attribute is checked and set under
 * one lock (the container may hand out several facades of one context). Not API (see the package).
 */
public final class ServletContextBoard implements ValidatorBoard {

    /** The name under which the context parameters appear in configuration errors. */
    public static final String CONTEXT_PARAMS = "servlet context params";

    private static final Object LOCK = new Object();

    private final ServletContext context;

    private ServletContextBoard(ServletContext context) {
        this.context = context;
    }

    /** @return the board of {@code context} */
    public static ServletContextBoard of(ServletContext context) {
        return new ServletContextBoard(context);
    }

    /** @return the context parameters as a settings source */
    public static SettingsCascade.Source contextParams(ServletContext context) {
        return new SettingsCascade.Source(CONTEXT_PARAMS, context::getInitParameter);
    }

    @Override
    public Optional<DPoPValidator> published() {
        return context.getAttribute(DPoPAttributes.VALIDATOR) instanceof DPoPValidator validator
                ? Optional.of(validator) : Optional.empty();
    }

    @Override
    public boolean publishIfAbsent(DPoPValidator validator) {
        synchronized (LOCK) {
            if (context.getAttribute(DPoPAttributes.VALIDATOR) != null) {
                return false;
            }
            context.setAttribute(DPoPAttributes.VALIDATOR, validator);
            return true;
        }
    }

    @Override
    public void withdraw(DPoPValidator validator) {
        synchronized (LOCK) {
            if (context.getAttribute(DPoPAttributes.VALIDATOR) == validator) {
                context.removeAttribute(DPoPAttributes.VALIDATOR);
            }
        }
    }
}
