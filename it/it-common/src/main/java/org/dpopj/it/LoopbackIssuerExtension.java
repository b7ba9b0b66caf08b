package org.dpopj.it;

import org.dpopj.core.testing.LoopbackIssuer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link LoopbackIssuer} per test JVM, before the first test class that uses it, and
 * stops it when the whole run ends (JUnit closes it with the root context's store).
 *
 * <p>The port comes from the system property {@value #PORT_PROPERTY} (0 or absent: any free port).
 * Server modules fix it, because the server JVM is told the issuer's URL when it starts, before
 * any test runs. Register it before Arquillian's extension ({@link ServerTest} does), so the issuer
 * is up before anything is deployed.
 */
public final class LoopbackIssuerExtension implements BeforeAllCallback {

    /** System property naming the issuer's port. */
    public static final String PORT_PROPERTY = "it.issuer.port";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoopbackIssuerExtension.class);

    private static volatile LoopbackIssuer shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                LoopbackIssuer.class,
                key -> LoopbackIssuer.start(Integer.getInteger(PORT_PROPERTY, 0)),
                LoopbackIssuer.class);
    }

    /** The running issuer; only inside a test class extended with this extension. */
    public static LoopbackIssuer issuer() {
        LoopbackIssuer issuer = shared;
        if (issuer == null) {
            throw new IllegalStateException("no loopback issuer: extend the test class with " + LoopbackIssuerExtension.class.getName());
        }
        return issuer;
    }
}
