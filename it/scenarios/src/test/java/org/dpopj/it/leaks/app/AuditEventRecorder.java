package org.dpopj.it.leaks.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.dpopj.cdi.DPoPAuditLog;
import org.dpopj.core.DPoPAuditEvent;

/** Records every audit event of the application's validator twice: its {@code toString()} and the library's one-line format. */
@ApplicationScoped
public class AuditEventRecorder {

    private final List<String> lines = new ArrayList<>();

    void record(@Observes DPoPAuditEvent event) {
        synchronized (lines) {
            lines.add(event.toString());
            lines.add(DPoPAuditLog.format(event));
        }
    }

    /** Every recorded line, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
