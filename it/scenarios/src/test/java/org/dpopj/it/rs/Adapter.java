package org.dpopj.it.rs;

/**
 * The two ways {@code rs.war} protects an endpoint, for the scenarios that must hold for both: the
 * web.xml {@code DPoPFilter} in front of a servlet, and {@code @DPoPRequired} on a Jakarta REST resource.
 * Each endpoint prints the binding, the principal, the scheme and the query; each form endpoint echoes
 * its {@code item} parameter.
 */
enum Adapter {

    SERVLET_FILTER("servlet/binding", "servlet/binding", "servlet"),
    JAXRS_FILTER("api/class", "api/method/form", "jaxrs-class");

    /** A GET/HEAD endpoint. */
    final String path;
    /** A POST endpoint that reads an {@code application/x-www-form-urlencoded} parameter {@code item}. */
    final String formPath;
    /** What the endpoint prints as {@code where=}. */
    final String where;

    Adapter(String path, String formPath, String where) {
        this.path = path;
        this.formPath = formPath;
        this.where = where;
    }
}
