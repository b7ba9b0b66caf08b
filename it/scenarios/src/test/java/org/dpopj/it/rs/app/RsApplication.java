package org.dpopj.it.rs.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST under /api; the DPoP filters are found by scanning WEB-INF/lib (dpop-jaxrs's @Provider classes). */
@ApplicationPath("/api")
public class RsApplication extends Application {
}
