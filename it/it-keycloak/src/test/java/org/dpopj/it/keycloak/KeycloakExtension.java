package org.dpopj.it.keycloak;

import java.nio.file.Path;
import java.util.UUID;

import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one Keycloak per test JVM, before the first test class that uses it, creates the realm with
 * a DPoP client and the resource server's client, and stops Keycloak when the whole run ends (JUnit
 * closes it with the root context's store). Register it before Arquillian's extension, so Keycloak is
 * up (and its URL known) before a WAR naming it is built and deployed.
 */
final class KeycloakExtension implements BeforeAllCallback {

    /** The resource server's client id at Keycloak, and the audience it accepts. */
    static final String AUDIENCE = "dpopj-api";
    /** The DPoP client's id at Keycloak (client credentials). */
    static final String CLIENT_ID = "dpopj-it";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    private static volatile Realm shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Realm.class, key -> Realm.start(), Realm.class);
    }

    /** The running Keycloak and its realm; only inside a test class extended with this extension. */
    static Realm realm() {
        Realm realm = shared;
        if (realm == null) {
            throw new IllegalStateException("no Keycloak: extend the test class with " + KeycloakExtension.class.getName());
        }
        return realm;
    }

    /** The running Keycloak with the realm's client secrets (which nothing prints). */
    static final class Realm implements AutoCloseable {
        private final KeycloakServer server;
        private final String clientSecret = UUID.randomUUID().toString();
        private final String resourceServerSecret = UUID.randomUUID().toString();

        private Realm(KeycloakServer server) {
            this.server = server;
        }

        private static Realm start() {
            KeycloakServer server;
            try {
                server = new KeycloakServer(Path.of(System.getProperty("it.keycloak.home")),
                        System.getProperty("it.keycloak.java.home"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare Keycloak", e);
            }
            Realm realm = new Realm(server);
            try {
                long started = System.nanoTime();
                server.start();
                System.out.printf("[keycloak] started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                server.createRealm(CLIENT_ID, realm.clientSecret, AUDIENCE, realm.resourceServerSecret);
                return realm;
            } catch (Exception e) {
                server.close();
                throw new IllegalStateException("cannot start Keycloak or create its realm", e);
            }
        }

        KeycloakServer server() {
            return server;
        }

        /** @return the secret of {@link #AUDIENCE}, for introspection */
        String resourceServerSecret() {
            return resourceServerSecret;
        }

        /** @return a client of {@link #CLIENT_ID} with a key of its own */
        DPoPClient newClient() throws JoseException {
            return new DPoPClient(CLIENT_ID, clientSecret, server.tokenEndpoint());
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
