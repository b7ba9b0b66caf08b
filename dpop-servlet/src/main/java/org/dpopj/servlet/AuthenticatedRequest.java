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
 * When the container already knows the caller (dpop-security's authentication mechanism logged it in
 * from the same result), the container's principal, user name and scheme are kept: some containers
 * (Payara) check roles against the principal the application's request reports, which must then be
 * the container's own. Confined to one request.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final DPoPPrincipal principal;
    private final boolean rolesFromScopes;
    private final boolean containerCaller;

    AuthenticatedRequest(HttpServletRequest request, DPoPResult result, boolean rolesFromScopes) {
        super(request);
        this.principal = DPoPPrincipal.of(result);
        this.rolesFromScopes = rolesFromScopes;
        this.containerCaller = request.getUserPrincipal() != null;
    }

    @Override
    public Principal getUserPrincipal() {
        return containerCaller ? super.getUserPrincipal() : principal;
    }

    @Override
    public String getRemoteUser() {
        return containerCaller ? super.getRemoteUser() : principal.getName();
    }

    @Override
    public String getAuthType() {
        return containerCaller ? super.getAuthType() : principal.authenticationScheme();
    }

    @Override
    public boolean isUserInRole(String role) {
        return AdapterSetup.isUserInRole(rolesFromScopes, principal.result(), role, super::isUserInRole);
    }
}
