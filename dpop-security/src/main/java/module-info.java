/**
 * dpopj for Jakarta Security: {@code DPoPAuthenticationMechanism}, which puts the DPoP caller into the
 * container's security model ({@code @RolesAllowed}, security constraints, {@code SecurityContext}).
 */
module org.dpopj.security {
    requires transitive org.dpopj.core;
    requires transitive org.dpopj.servlet;
    requires transitive jakarta.security;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires static jakarta.annotation;

    exports org.dpopj.security;

    opens org.dpopj.security;
}
