package org.dpopj.core.token;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

import org.dpopj.core.spi.IssuerCallListener;

/**
 * When the next call to one issuer endpoint may be made, and the two log lines of an outage. After
 * the n-th failure in a row a call waits 1 s × 2<sup>n-1</sup>, at most {@code maxBackoff}, so a returning
 * issuer is called again within seconds and a failing one is not called by every request. An outage is
 * logged once at {@code WARNING} when it starts (the cause's class and message, no stack trace) and
 * once when it ends, with its duration; the calls in between at {@code DEBUG}. Thread-safe.
 */
final class IssuerAvailability {

    /** The wait after the first failure of an outage; it doubles with each further failure. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final Logger log;
    private final String endpoint;
    private final Duration maxBackoff;
    private final IssuerCallListener.Endpoint kind;
    private final IssuerCallListener listener;
    private Instant nextAttempt;
    private int failures;
    private Instant outageSince;

    /**
     * @param endpoint what is called, for log lines (a redacted URI or the issuer; never a secret)
     * @param maxBackoff the longest wait after a failure, at least {@link #FIRST_BACKOFF}
     */
    IssuerAvailability(Logger log, String endpoint, Duration maxBackoff) {
        this(log, endpoint, maxBackoff, IssuerCallListener.Endpoint.JWKS, null);
    }

    /**
     * @param kind the endpoint, for {@code listener}
     * @param listener told of every call that succeeded or failed; {@code null} for none
     */
    IssuerAvailability(Logger log, String endpoint, Duration maxBackoff, IssuerCallListener.Endpoint kind,
                       IssuerCallListener listener) {
        this.kind = kind;
        this.listener = listener;
        this.log = log;
        this.endpoint = endpoint;
        this.maxBackoff = maxBackoff.compareTo(FIRST_BACKOFF) < 0 ? FIRST_BACKOFF : maxBackoff;
    }

    /** @return whether a call may be made at {@code now} */
    synchronized boolean attemptAllowed(Instant now) {
        return nextAttempt == null || !now.isBefore(nextAttempt);
    }

    /**
     * Claims the next call: during an outage only one caller at a time probes the endpoint, the others
     * are told to wait until it has succeeded or failed (or {@code maxBackoff} has passed).
     *
     * @return whether the caller may call the endpoint now
     */
    synchronized boolean claimAttempt(Instant now) {
        if (!attemptAllowed(now)) {
            return false;
        }
        if (outageSince != null) {
            nextAttempt = now.plus(maxBackoff);
        }
        return true;
    }

    /** Records a call that succeeded at {@code now}; ends an outage. */
    void succeeded(Instant now) {
        recordSuccess(now);
        tell(true);
    }

    private synchronized void recordSuccess(Instant now) {
        nextAttempt = null;
        if (outageSince != null) {
            log.log(Level.WARNING, "{0} is available again after an outage of {1} s ({2} failed calls)", endpoint,
                    Math.max(0, Duration.between(outageSince, now).toMillis()) / 1000.0, failures);
        }
        failures = 0;
        outageSince = null;
    }

    /**
     * Records a failed call started at {@code attemptAt}; starts an outage unless one is under way.
     *
     * @param cause the failure's class and message, as {@link #describe} gives them
     */
    void failed(Instant attemptAt, String cause) {
        recordFailure(attemptAt, cause);
        tell(false);
    }

    /** Outside the lock: the listener is the caller's code. */
    private void tell(boolean succeeded) {
        if (listener != null) {
            try {
                listener.onCall(kind, succeeded);
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "issuer call listener failed; outcome unchanged", e);
            }
        }
    }

    private synchronized void recordFailure(Instant attemptAt, String cause) {
        failures = Math.min(failures + 1, 31);
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
        if (backoff.compareTo(maxBackoff) > 0) {
            backoff = maxBackoff;
        }
        nextAttempt = attemptAt.plus(backoff);
        if (outageSince == null) {
            outageSince = attemptAt;
            log.log(Level.WARNING, "{0} is unavailable: {1}; answering 503 while it is, retrying after {2} s"
                    + " doubling up to {3} s", endpoint, cause, backoff.toSeconds(), maxBackoff.toSeconds());
        } else {
            log.log(Level.DEBUG, "{0} is still unavailable (failure {1}): {2}; next call in {3} ms", endpoint,
                    failures, cause, backoff.toMillis());
        }
    }

    /** @return the failure's class and message (I/O messages carry no secrets) */
    static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + failure.getMessage();
    }
}
