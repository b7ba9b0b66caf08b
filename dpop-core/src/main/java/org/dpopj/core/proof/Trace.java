package org.dpopj.core.proof;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.jose.Sha256;

/**
 * What one validation has established so far, for audit events and log lines: the checks passed, the
 * scheme, the key's thumbprint, the token's hash prefix, the client id, the subject and the
 * {@code jti}'s hash prefix. Never the token, the proof or key material; the {@code jti} itself is
 * held only to hash it when an event asks. Mutable, confined to one validation on one thread.
 */
public final class Trace {

    private final List<Check> checks = new ArrayList<>(Check.values().length);
    private final long startedNanos = System.nanoTime();
    private AuthScheme scheme;
    private String thumbprint;
    private String tokenHashPrefix;
    private String clientId;
    private String subject;
    private String jti;
    private String jtiHashPrefix;

    /** @return the time since this trace was created, at the start of a validation */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** @param check a check that just passed */
    public void passed(Check check) {
        checks.add(check);
    }

    /** @return the checks passed, in order */
    public List<Check> checks() {
        return checks;
    }

    /** @return the check that was running when a check threw: the one after the last that passed */
    public Check running() {
        if (checks.isEmpty()) {
            return Check.AUTHORIZATION;
        }
        Check[] all = Check.values();
        return all[Math.min(checks.get(checks.size() - 1).ordinal() + 1, all.length - 1)];
    }

    public void scheme(AuthScheme value) {
        this.scheme = value;
    }

    public Optional<AuthScheme> scheme() {
        return Optional.ofNullable(scheme);
    }

    void thumbprint(String value) {
        this.thumbprint = value;
    }

    public Optional<String> thumbprint() {
        return Optional.ofNullable(thumbprint);
    }

    public void tokenHashPrefix(String value) {
        this.tokenHashPrefix = value;
    }

    public Optional<String> tokenHashPrefix() {
        return Optional.ofNullable(tokenHashPrefix);
    }

    void clientId(String value) {
        this.clientId = value;
    }

    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    void subject(String value) {
        this.subject = value;
    }

    /** @return the resolved token's {@code sub} */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** @param value the parsed proof's {@code jti}, kept here only to be hashed if an audit event asks */
    void jti(String value) {
        this.jti = value;
        this.jtiHashPrefix = null;
    }

    /**
     * @return the first 8 base64url characters of SHA-256(the proof's {@code jti}); hashed on the first
     *     call, so only a validation that is audited pays for it
     */
    public Optional<String> jtiHashPrefix() {
        if (jtiHashPrefix == null && jti != null) {
            jtiHashPrefix = Sha256.base64Url(jti).substring(0, 8);
        }
        return Optional.ofNullable(jtiHashPrefix);
    }
}
