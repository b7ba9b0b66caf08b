package org.dpopj.it.payara.mpjwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.auth.LoginConfig;

/**
 * An application that already uses MicroProfile JWT for Bearer tokens, and dpopj for its DPoP endpoints.
 * A bean (here {@code @ApplicationScoped}) so that Payara's MP-JWT extension sees its {@code @LoginConfig}
 * in a WAR with annotated bean discovery.
 */
@ApplicationScoped
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
public class MpJwtApplication extends Application {
}
