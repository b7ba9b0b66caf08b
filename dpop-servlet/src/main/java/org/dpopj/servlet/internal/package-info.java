/**
 * The set-up every dpopj adapter shares (the servlet filter, the Jakarta REST filters, the CDI producer):
 * the settings cascade, MicroProfile Config, CDI look-ups, validator discovery and publication, and
 * what an adapter releases when it stops. <strong>Not API:</strong> public only because dpop-jaxrs and
 * dpop-cdi, in other packages, call it; it may change in any release.
 *
 * <p>It lives in dpop-servlet because that is the one module every other adapter already builds on: the
 * application's validator is shared through a {@code ServletContext} attribute and servlet context
 * parameters are a settings source, while dpop-core has no Jakarta types at all.
 */
package org.dpopj.servlet.internal;
