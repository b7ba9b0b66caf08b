package org.dpopj.cdi;

import java.util.Optional;
import java.util.stream.Collectors;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPAuditEvent;

/**
 * Formats a {@link DPoPAuditEvent} as one log line, for an application's own observer. The event holds
 * no token, proof or key material, and neither does the line. No observer is installed by default:
 * <pre>{@code
 * @ApplicationScoped
 * public class DPoPAuditObserver {
 *     private static final System.Logger LOG = System.getLogger("dpop.audit");
 *
 *     void log(@Observes DPoPAuditEvent event) {
 *         LOG.log(event.accepted() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
 *                 DPoPAuditLog.format(event));
 *     }
 * }
 * }</pre>
 * Observers run on the request thread (the event is synchronous): keep them quick. Stateless.
 */
public final class DPoPAuditLog {

    private DPoPAuditLog() {
    }

    /**
     * @param event the event
     * @return {@code dpop accepted=.. scheme=.. failed=.. error=.. jkt=.. token=.. client=.. remote=.. checks=..}
     */
    public static String format(DPoPAuditEvent event) {
        return "dpop accepted=" + event.accepted()
                + " scheme=" + event.scheme().map(s -> s.httpName()).orElse("-")
                + " failed=" + event.failedCheck().map(Check::name).orElse("-")
                + " error=" + event.error().map(Enum::name).orElse("-")
                + " jkt=" + or(event.thumbprint())
                + " token=" + or(event.tokenHashPrefix())
                + " client=" + or(event.clientId())
                + " remote=" + or(event.remoteAddress())
                + " checks=" + event.checksPassed().stream().map(Check::name).collect(Collectors.joining(","));
    }

    private static String or(Optional<String> value) {
        return value.map(DPoPAuditLog::clean).orElse("-");
    }

    /** Keeps log lines single and unambiguous whatever a client id contains. */
    private static String clean(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            out.append(c > 0x20 && c < 0x7F ? c : '_');
        }
        return out.toString();
    }
}
