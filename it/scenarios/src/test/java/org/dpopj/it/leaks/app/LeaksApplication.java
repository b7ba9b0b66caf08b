package org.dpopj.it.leaks.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST under /api; dpop-jaxrs's filter is found by scanning WEB-INF/lib. */
@ApplicationPath("/api")
public class LeaksApplication extends Application {
}
