package org.dpopj.core.spi;

import java.time.Duration;

import org.dpopj.core.DPoPAuditEvent;

/**
 * Receives one {@link DPoPAuditEvent} for every accepted and every rejected request.
 *
 * <p>Called on the request thread: implementations must be thread-safe and quick, and must not
 * throw (an exception is caught and ignored so that auditing can never change an outcome).
 */
@FunctionalInterface
public interface AuditListener {

    /** @param event what happened; never {@code null} */
    void onEvent(DPoPAuditEvent event);

    /**
     * Receives the event with the time the validation took, from the start of {@code validate} to the
     * decision (for metrics); the default forwards to {@link #onEvent(DPoPAuditEvent)}. A refusal that
     * {@code requireScopes} makes after an earlier validation comes through {@link #onEvent(DPoPAuditEvent)}
     * only.
     *
     * @param event what happened; never {@code null}
     * @param elapsed how long the validation took, measured with {@link System#nanoTime()}; never {@code null}
     */
    default void onEvent(DPoPAuditEvent event, Duration elapsed) {
        onEvent(event);
    }
}
