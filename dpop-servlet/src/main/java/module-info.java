/**
 * dpopj for Jakarta Servlet: {@code DPoPFilter}, and the setup every dpopj adapter shares (settings
 * cascade, validator discovery, roles from scopes), exported to the other adapters only.
 */
module org.dpopj.servlet {
    requires transitive org.dpopj.core;
    requires transitive jakarta.servlet;
    requires static jakarta.cdi;
    requires static microprofile.config.api;
    requires static microprofile.jwt.auth.api;

    exports org.dpopj.servlet;
    exports org.dpopj.servlet.internal to org.dpopj.jaxrs, org.dpopj.cdi, org.dpopj.security;

    provides jakarta.servlet.ServletContainerInitializer with org.dpopj.servlet.internal.MetadataInitializer;
}
