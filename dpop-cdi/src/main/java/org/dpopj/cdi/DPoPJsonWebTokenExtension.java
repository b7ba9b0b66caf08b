package org.dpopj.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Makes {@code @Inject org.eclipse.microprofile.jwt.JsonWebToken} work on DPoP endpoints when the
 * MicroProfile JWT API is visible to the application (bundled in the WAR or offered by the server):
 * a request-scoped bean whose token is the validated request's ({@link DPoPJsonWebToken}, claims from
 * the JWT or the introspection answer) and, on requests the library did not validate, the server's own
 * MP-JWT token when an MP-JWT implementation is active for the application. Without the API it adds
 * nothing, so applications that do not use MP-JWT need no jar of it.
 *
 * <p>A portable extension, registered in {@code META-INF/services}; stateless.
 */
public final class DPoPJsonWebTokenExtension implements Extension {

    static final String JSON_WEB_TOKEN = "org.eclipse.microprofile.jwt.JsonWebToken";

    /** Created by the CDI container through {@link java.util.ServiceLoader}. */
    public DPoPJsonWebTokenExtension() {
    }

    void addJsonWebToken(@Observes AfterBeanDiscovery event, BeanManager beans) {
        if (visible(JSON_WEB_TOKEN) && visible("jakarta.json.Json")) {
            JsonWebTokenBean.register(event, beans);
        }
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, DPoPJsonWebTokenExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
