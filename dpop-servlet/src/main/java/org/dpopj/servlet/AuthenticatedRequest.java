package org.dpopj.servlet;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.dpopj.core.DPoPResult;
import org.dpopj.core.http.DPoPPrincipal;
import org.dpopj.servlet.internal.AdapterSetup;

/**
 * The request as the application sees it after validation: the caller is the {@link DPoPPrincipal}
 * of the result, and roles are the token's scopes when {@code dpop.roles-from-scopes} is on.
 * Confined to one request.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final DPoPPrincipal principal;
    private final boolean rolesFromScopes;

    AuthenticatedRequest(HttpServletRequest request, DPoPResult result, boolean rolesFromScopes) {
        super(request);
        this.principal = DPoPPrincipal.of(result);
        this.rolesFromScopes = rolesFromScopes;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return principal.authenticationScheme();
    }

    @Override
    public boolean isUserInRole(String role) {
        return AdapterSetup.isUserInRole(rolesFromScopes, principal.result(), role, super::isUserInRole);
    }
}
