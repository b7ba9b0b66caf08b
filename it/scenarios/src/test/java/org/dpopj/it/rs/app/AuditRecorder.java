package org.dpopj.it.rs.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.dpopj.cdi.DPoPAuditLog;
import org.dpopj.core.DPoPAuditEvent;

/** Records every DPoP decision of the application's validator, as the library's own one-line format (no token, proof or key). */
@ApplicationScoped
public class AuditRecorder {

    private final List<String> lines = new ArrayList<>();

    void record(@Observes DPoPAuditEvent event) {
        String line = DPoPAuditLog.format(event);
        synchronized (lines) {
            lines.add(line);
        }
    }

    /** Lines from index {@code from}, one per event. */
    public List<String> since(int from) {
        synchronized (lines) {
            return new ArrayList<>(lines.subList(Math.min(from, lines.size()), lines.size()));
        }
    }

    public int count() {
        synchronized (lines) {
            return lines.size();
        }
    }
}
