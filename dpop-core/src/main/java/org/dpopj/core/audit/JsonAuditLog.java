package org.dpopj.core.audit;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPError;
import org.dpopj.core.json.JsonWriter;
import org.dpopj.core.spi.AuditListener;

/**
 * An audit sink writing one JSON object per decision, on one line, at {@code INFO} to the logger
 * {@value #LOGGER} ({@link System.Logger}: {@code java.util.logging} by default, the server's own
 * logging where it installs a logger finder, as WildFly does). Enabled by {@code dpop.audit.log=json}.
 *
 * <p>Members, each left out when unknown: {@code time} (ISO-8601), {@code outcome} ({@code accepted} or
 * {@code rejected}), {@code error} (the RFC 6750/9449 error code, or {@code missing_credentials},
 * {@code temporarily_unavailable}), {@code check} (the failed check, the lower-case name of
 * {@link Check}: {@code htu}, {@code jti_replay}, ...), {@code scheme}, {@code jkt} (the proof key's
 * RFC 7638 thumbprint), {@code client_id}, {@code sub}, {@code htm}, {@code htu} (without query and
 * fragment, at most {@value #MAX_HTU} characters), {@code jti_hash} and {@code token_hash} (the first
 * 8 base64url characters of SHA-256 of the {@code jti} and of the access token), {@code remote_address}.
 * Never the token, the proof, a nonce or key material: the event carries none of them.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonAuditLog implements AuditListener {

    /** The logger name. */
    public static final String LOGGER = "org.dpopj.audit";
    /** Longest {@code htu} written; a longer one is cut and ends with {@code ...}. */
    public static final int MAX_HTU = 512;

    private final Logger logger;

    /** A sink writing to {@value #LOGGER}. */
    public JsonAuditLog() {
        this.logger = System.getLogger(LOGGER);
    }

    @Override
    public void onEvent(DPoPAuditEvent event) {
        if (logger.isLoggable(Level.INFO)) {
            logger.log(Level.INFO, line(event));
        }
    }

    /**
     * @param event a decision
     * @return its JSON line, without line terminator
     */
    public static String line(DPoPAuditEvent event) {
        return new JsonWriter()
                .string("time", event.time().toString())
                .string("outcome", event.accepted() ? "accepted" : "rejected")
                .string("error", event.error().map(JsonAuditLog::errorName).orElse(null))
                .string("check", event.failedCheck().map(check -> check.name().toLowerCase(Locale.ROOT)).orElse(null))
                .string("scheme", event.scheme().map(AuthScheme::httpName).orElse(null))
                .string("jkt", event.thumbprint().orElse(null))
                .string("client_id", event.clientId().orElse(null))
                .string("sub", event.subject().orElse(null))
                .string("htm", event.method().orElse(null))
                .string("htu", event.htu().map(JsonAuditLog::capped).orElse(null))
                .string("jti_hash", event.jtiHashPrefix().orElse(null))
                .string("token_hash", event.tokenHashPrefix().orElse(null))
                .string("remote_address", event.remoteAddress().orElse(null))
                .close();
    }

    private static String errorName(DPoPError error) {
        Optional<String> code = error.code();
        return code.orElse(error.name().toLowerCase(Locale.ROOT));
    }

    private static String capped(String htu) {
        return htu.length() <= MAX_HTU ? htu : htu.substring(0, MAX_HTU - 3) + "...";
    }
}
