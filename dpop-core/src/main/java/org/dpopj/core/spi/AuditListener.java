package org.dpopj.core.spi;

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
}
