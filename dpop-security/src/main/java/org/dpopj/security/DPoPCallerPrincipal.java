package org.dpopj.security;

import java.util.Objects;

import jakarta.security.enterprise.CallerPrincipal;

import org.dpopj.core.DPoPResult;

/**
 * The caller principal {@link DPoPAuthenticationMechanism} hands the container: its name is the
 * caller's name (see {@code dpop.security.principal-claim}), and it keeps the validation result, so
 * that {@code SecurityContext.getPrincipalsByType(DPoPCallerPrincipal.class)} reaches the token's
 * claims and the key binding where the container keeps this principal in the subject.
 *
 * <p>Immutable and thread-safe.
 */
public final class DPoPCallerPrincipal extends CallerPrincipal {

    private static final long serialVersionUID = 1L;

    private final transient DPoPResult result;

    /**
     * @param name the caller's name; not {@code null}
     * @param result the validation result; not {@code null}
     */
    public DPoPCallerPrincipal(String name, DPoPResult result) {
        super(Objects.requireNonNull(name, "name"));
        this.result = Objects.requireNonNull(result, "result");
    }

    /** @return the validation result behind this caller; {@code null} only after deserialisation */
    public DPoPResult result() {
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DPoPCallerPrincipal that && getName().equals(that.getName());
    }

    @Override
    public int hashCode() {
        return getName().hashCode();
    }

    @Override
    public String toString() {
        return "DPoPCallerPrincipal[" + getName() + "]";
    }
}
