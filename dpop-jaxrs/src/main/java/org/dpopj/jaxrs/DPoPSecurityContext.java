package org.dpopj.jaxrs;

import java.security.Principal;

import jakarta.ws.rs.core.SecurityContext;

import org.dpopj.core.http.DPoPPrincipal;
import org.dpopj.servlet.internal.AdapterSetup;

/**
 * The caller as Jakarta REST sees it after validation: the {@link DPoPPrincipal} of the result, its
 * scheme, and roles that are the token's scopes when {@code dpop.roles-from-scopes} is on (else the
 * container's). Immutable.
 */
final class DPoPSecurityContext implements SecurityContext {

    private final DPoPPrincipal principal;
    private final boolean secure;
    private final boolean rolesFromScopes;
    private final SecurityContext original;

    DPoPSecurityContext(DPoPPrincipal principal, SecurityContext original, boolean rolesFromScopes) {
        this.principal = principal;
        this.original = original;
        this.secure = original != null && original.isSecure();
        this.rolesFromScopes = rolesFromScopes;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return AdapterSetup.isUserInRole(rolesFromScopes, principal.result(), role,
                r -> original != null && original.isUserInRole(r));
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return principal.authenticationScheme();
    }
}
