package org.dpopj.it.jwt.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST under /api, its resources found by scanning; no MicroProfile JWT {@code @LoginConfig}. */
@ApplicationPath("/api")
public class JwtApplication extends Application {
}
