/**
 * How dpop-jaxrs joins a web application's lifecycle. <strong>Not API:</strong> public only because the
 * servlet container instantiates these classes; they may change in any release.
 */
package org.dpopj.jaxrs.internal;
