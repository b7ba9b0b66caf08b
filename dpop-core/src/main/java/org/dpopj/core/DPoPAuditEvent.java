package org.dpopj.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one request, for audit logs: the checks that passed, the check that failed, the
 * key thumbprint, a hash prefix of the token, the client id, the remote address, the token's subject,
 * the request's method and target URI without query, and a hash prefix of the proof's {@code jti}. It
 * never holds the token, the proof, a nonce or key material.
 *
 * @param time when the decision was made
 * @param accepted whether the request was accepted
 * @param scheme the scheme the request used, if known
 * @param checksPassed the checks that ran and passed, in order
 * @param failedCheck the check that failed, if any
 * @param error the outcome class of a failure, if any
 * @param thumbprint the proof key's RFC 7638 thumbprint, once the proof was parsed
 * @param tokenHashPrefix the first 8 base64url characters of SHA-256(access token), if a token was presented
 * @param clientId the token's client id, once the token was resolved
 * @param remoteAddress the client's address as the adapter saw it
 * @param subject the token's {@code sub}, once the token was resolved
 * @param method the request method
 * @param htu the request's target URI without query and fragment (RFC 9449 §4.3 step 9)
 * @param jtiHashPrefix the first 8 base64url characters of SHA-256(the proof's {@code jti}), once the
 *     proof was parsed
 */
public record DPoPAuditEvent(Instant time, boolean accepted, Optional<AuthScheme> scheme,
                             List<Check> checksPassed, Optional<Check> failedCheck,
                             Optional<DPoPError> error, Optional<String> thumbprint,
                             Optional<String> tokenHashPrefix, Optional<String> clientId,
                             Optional<String> remoteAddress, Optional<String> subject,
                             Optional<String> method, Optional<String> htu, Optional<String> jtiHashPrefix) {

    /**
     * Copies the list of checks, so that the event is immutable.
     *
     * @param time when the decision was made
     * @param accepted whether the request was accepted
     * @param scheme the scheme the request used, if known
     * @param checksPassed the checks that ran and passed, in order
     * @param failedCheck the check that failed, if any
     * @param error the outcome class of a failure, if any
     * @param thumbprint the proof key's thumbprint, once the proof was parsed
     * @param tokenHashPrefix the token's hash prefix, if a token was presented
     * @param clientId the token's client id, once the token was resolved
     * @param remoteAddress the client's address as the adapter saw it
     * @param subject the token's subject, once the token was resolved
     * @param method the request method
     * @param htu the target URI without query and fragment
     * @param jtiHashPrefix the {@code jti}'s hash prefix, once the proof was parsed
     */
    public DPoPAuditEvent {
        checksPassed = List.copyOf(checksPassed);
    }

    /**
     * An event without subject, method, target URI and {@code jti} (the shape of earlier versions).
     *
     * @param time when the decision was made
     * @param accepted whether the request was accepted
     * @param scheme the scheme the request used, if known
     * @param checksPassed the checks that ran and passed, in order
     * @param failedCheck the check that failed, if any
     * @param error the outcome class of a failure, if any
     * @param thumbprint the proof key's thumbprint, once the proof was parsed
     * @param tokenHashPrefix the token's hash prefix, if a token was presented
     * @param clientId the token's client id, once the token was resolved
     * @param remoteAddress the client's address as the adapter saw it
     */
    public DPoPAuditEvent(Instant time, boolean accepted, Optional<AuthScheme> scheme, List<Check> checksPassed,
                          Optional<Check> failedCheck, Optional<DPoPError> error, Optional<String> thumbprint,
                          Optional<String> tokenHashPrefix, Optional<String> clientId, Optional<String> remoteAddress) {
        this(time, accepted, scheme, checksPassed, failedCheck, error, thumbprint, tokenHashPrefix, clientId,
                remoteAddress, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
