/** dpopj for CDI: the validator from configuration, {@code @Inject DPoPBinding}, audit events, and
 * {@code @Inject JsonWebToken} where the MicroProfile JWT API is present. */
module org.dpopj.cdi {
    requires transitive org.dpopj.core;
    requires transitive jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires jakarta.servlet;
    requires org.dpopj.servlet;
    requires static microprofile.jwt.auth.api;
    requires static jakarta.json;

    exports org.dpopj.cdi;
    opens org.dpopj.cdi;

    provides jakarta.enterprise.inject.spi.Extension with org.dpopj.cdi.DPoPJsonWebTokenExtension;
}
