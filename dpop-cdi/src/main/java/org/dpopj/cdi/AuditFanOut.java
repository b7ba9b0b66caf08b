package org.dpopj.cdi;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.event.Event;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.spi.AuditListener;

/**
 * Hands each decision to the CDI observers of {@link DPoPAuditEvent} and to the application's
 * {@link AuditListener} beans, the latter with the validation's duration. Each listener is isolated:
 * one that throws neither changes the outcome nor keeps the others from the event. Immutable and
 * thread-safe when the listeners are.
 */
final class AuditFanOut implements AuditListener {

    private static final System.Logger LOG = System.getLogger(DPoPProducer.class.getName());

    private final Event<DPoPAuditEvent> events;
    private final List<AuditListener> listeners;

    AuditFanOut(Event<DPoPAuditEvent> events, List<AuditListener> listeners) {
        this.events = events;
        this.listeners = listeners;
    }

    @Override
    public void onEvent(DPoPAuditEvent event) {
        events.fire(event);
        for (AuditListener listener : listeners) {
            deliver(() -> listener.onEvent(event), listener);
        }
    }

    @Override
    public void onEvent(DPoPAuditEvent event, Duration elapsed) {
        events.fire(event);
        for (AuditListener listener : listeners) {
            deliver(() -> listener.onEvent(event, elapsed), listener);
        }
    }

    private static void deliver(Runnable delivery, AuditListener listener) {
        try {
            delivery.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DPoP audit listener " + listener.getClass().getName()
                    + " failed; outcome unchanged", e);
        }
    }
}
