package org.dpopj.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.dpopj.core.proof.Trace;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.NonceSource;

/**
 * What the validator says about each decision: an audit event to the listener, and a log line that
 * names the failed check, the key's thumbprint and the token's hash prefix, never the token, the proof
 * or key material. Also completes a refusal (the scheme it answers, a fresh nonce for
 * {@code use_dpop_nonce}). A 503 is logged per request at {@code DEBUG} only: the component that
 * knows an outage logs its start and end once at {@code WARNING} (the token resolvers for the issuer;
 * this class for the replay store, from the first 503 at {@link Check#JTI_REPLAY} to the next accepted
 * request). Thread-safe.
 */
final class DecisionLog {

    private static final Logger LOG = System.getLogger(DPoPValidator.class.getName());

    /** The application's listener and the settings' audit log, each called on its own. */
    private final java.util.List<AuditListener> auditListeners;
    private final NonceSource nonceSource;
    private final Clock clock;
    /** When the replay store started refusing, {@code null} while it works. */
    private final AtomicReference<Instant> replayOutageSince = new AtomicReference<>();

    DecisionLog(AuditListener auditListener, AuditListener auditLog, NonceSource nonceSource, Clock clock) {
        this.auditListeners = java.util.stream.Stream.of(auditListener, auditLog).filter(java.util.Objects::nonNull).toList();
        this.nonceSource = nonceSource;
        this.clock = clock;
    }

    void accepted(Trace trace, DPoPRequest request) {
        Instant outageSince = replayOutageSince.getAndSet(null);
        if (outageSince != null) {
            LOG.log(Level.WARNING, "DPoP replay store accepts proofs again after "
                    + Duration.between(outageSince, clock.instant()).toMillis() / 1000.0 + " s of 503s");
        }
        audit(trace, request, null);
    }

    /**
     * A check threw where it should have answered: hostile input met a bug. The request is refused as
     * failing the check that was running, never accepted and never answered with a 500; only the
     * exception type is logged, as its message may quote input.
     */
    static DPoPException unexpected(RuntimeException e, Trace trace) {
        Check running = trace.running();
        LOG.log(Level.WARNING, "DPoP check " + running + " failed unexpectedly with " + e.getClass().getName()
                + "; request refused");
        return running == Check.AUTHORIZATION
                ? DPoPException.invalidRequest(running, "Request could not be processed")
                : DPoPException.invalidProof(running, "DPoP proof could not be processed");
    }

    DPoPException rejected(DPoPException failure, Trace trace, DPoPRequest request) {
        DPoPException rejected = failure;
        if (rejected.scheme().isEmpty() && trace.scheme().isPresent()) {
            rejected = rejected.withScheme(trace.scheme().get());
        }
        if (rejected.error() == DPoPError.USE_DPOP_NONCE && rejected.nonce().isEmpty()) {
            rejected = rejected.withNonce(nonceSource.issue(clock.instant()));
        }
        DPoPException logged = rejected;
        if (rejected.error() == DPoPError.TEMPORARILY_UNAVAILABLE) {
            unavailable(rejected, trace);
        } else {
            LOG.log(Level.DEBUG, () -> "DPoP request rejected: check=" + logged.failedCheck().map(Enum::name).orElse("-")
                    + " error=" + logged.error().code().orElse("-") + " jkt=" + trace.thumbprint().orElse("-")
                    + " token=" + trace.tokenHashPrefix().orElse("-") + " reason=" + logged.description());
        }
        audit(trace, request, rejected);
        return rejected;
    }

    private void unavailable(DPoPException refusal, Trace trace) {
        Throwable cause = refusal.getCause();
        String reason = refusal.description() + (cause == null ? ""
                : " (" + cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")");
        if (refusal.failedCheck().orElse(null) == Check.JTI_REPLAY
                && replayOutageSince.compareAndSet(null, clock.instant())) {
            LOG.log(Level.WARNING, "DPoP replay store refuses proofs, answering 503 until it accepts one again: "
                    + reason);
        }
        LOG.log(Level.DEBUG, () -> "DPoP request refused with 503: check="
                + refusal.failedCheck().map(Enum::name).orElse("-") + " jkt=" + trace.thumbprint().orElse("-")
                + " token=" + trace.tokenHashPrefix().orElse("-") + " reason=" + reason);
    }

    /** A request that passed validation lacks a scope an endpoint requires. */
    void scopeRefused(DPoPResult result, DPoPException failure) {
        LOG.log(Level.DEBUG, () -> "DPoP request rejected: check=SCOPE error=insufficient_scope jkt="
                + result.binding().map(DPoPBinding::thumbprint).orElse("-"));
        if (auditListeners.isEmpty()) {
            return;
        }
        publish(new DPoPAuditEvent(clock.instant(), false, Optional.of(result.scheme()), java.util.List.of(),
                failure.failedCheck(), Optional.of(failure.error()), result.binding().map(DPoPBinding::thumbprint),
                Optional.empty(), result.accessToken().flatMap(AccessToken::clientId), Optional.empty(),
                result.accessToken().flatMap(AccessToken::subject), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private void audit(Trace trace, DPoPRequest request, DPoPException failure) {
        if (auditListeners.isEmpty()) {
            return;
        }
        DPoPAuditEvent event = new DPoPAuditEvent(clock.instant(), failure == null, trace.scheme(),
                trace.checks(), failure == null ? Optional.empty() : failure.failedCheck(),
                failure == null ? Optional.empty() : Optional.of(failure.error()), trace.thumbprint(),
                trace.tokenHashPrefix(), trace.clientId(), request.remoteAddress(), trace.subject(),
                Optional.of(request.method()), Optional.of(withoutQuery(request.targetUri())), trace.jtiHashPrefix());
        publish(event, trace.elapsed());
    }

    /** RFC 9449 §4.3 step 9 compares the target URI without query and fragment; the query may carry secrets. */
    static String withoutQuery(String targetUri) {
        int end = targetUri.length();
        int query = targetUri.indexOf('?');
        int fragment = targetUri.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return targetUri.substring(0, end);
    }

    private void publish(DPoPAuditEvent event) {
        publish(event, null);
    }

    /** @param elapsed the validation's duration, {@code null} when the event ends no validation */
    private void publish(DPoPAuditEvent event, Duration elapsed) {
        for (AuditListener listener : auditListeners) {
            try {
                if (elapsed == null) {
                    listener.onEvent(event);
                } else {
                    listener.onEvent(event, elapsed);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "DPoP audit listener failed; outcome unchanged", e);
            }
        }
    }
}
