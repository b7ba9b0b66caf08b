/** dpopj for Jakarta REST: {@code @DPoPRequired}, its filters and {@code DPoPFeature}. */
module org.dpopj.jaxrs {
    requires transitive org.dpopj.core;
    requires transitive jakarta.ws.rs;
    requires org.dpopj.servlet;
    requires jakarta.servlet;
    requires transitive jakarta.annotation;

    exports org.dpopj.jaxrs;
    opens org.dpopj.jaxrs;

    provides jakarta.servlet.ServletContainerInitializer with org.dpopj.jaxrs.internal.DPoPJaxRsInitializer;
}
