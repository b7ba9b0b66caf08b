/** dpopj for CDI: the validator from configuration, {@code @Inject DPoPBinding}, and audit events. */
module org.dpopj.cdi {
    requires transitive org.dpopj.core;
    requires transitive jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires jakarta.servlet;
    requires org.dpopj.servlet;

    exports org.dpopj.cdi;
    opens org.dpopj.cdi;
}
