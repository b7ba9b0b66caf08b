package org.dpopj.core.http;

import java.security.Principal;
import java.util.Objects;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;

/**
 * The caller principal both adapters report for a validated request
 * ({@code HttpServletRequest.getUserPrincipal()}, {@code SecurityContext.getUserPrincipal()}). Its
 * name is the token's subject; for a token without one, its client id; failing that, the proof key's
 * thumbprint (DPoP) or {@code "anonymous"} (a Bearer token with neither claim).
 *
 * <p>Immutable and thread-safe.
 */
public final class DPoPPrincipal implements Principal {

    private final String name;
    private final DPoPResult result;

    private DPoPPrincipal(String name, DPoPResult result) {
        this.name = name;
        this.result = result;
    }

    /**
     * @param result a validated request; not {@code null}
     * @return its principal
     */
    public static DPoPPrincipal of(DPoPResult result) {
        Objects.requireNonNull(result, "result");
        String name = result.subject()
                .or(() -> result.accessToken().flatMap(token -> token.clientId()))
                .or(() -> result.binding().map(DPoPBinding::thumbprint))
                .orElse("anonymous");
        return new DPoPPrincipal(name, result);
    }

    @Override
    public String getName() {
        return name;
    }

    /** @return the validation result behind this principal */
    public DPoPResult result() {
        return result;
    }

    /** @return the authentication scheme name, {@code DPoP} or {@code Bearer} */
    public String authenticationScheme() {
        return result.scheme().httpName();
    }

    /** @return whether the request used the DPoP scheme */
    public boolean isDPoP() {
        return result.scheme() == AuthScheme.DPOP;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DPoPPrincipal that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "DPoPPrincipal[" + name + "]";
    }
}
