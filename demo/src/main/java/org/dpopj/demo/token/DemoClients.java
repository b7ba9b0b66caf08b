package org.dpopj.demo.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo token endpoint's registered confidential clients (RFC 6749 §2.3.1). Fixed and public: this
 * is a demo, not an authorization server.
 *
 * <table>
 *   <caption>Clients</caption>
 *   <tr><th>client_id</th><th>client_secret</th><th>scopes</th></tr>
 *   <tr><td>demo-client</td><td>demo-secret</td><td>orders.read orders.write</td></tr>
 *   <tr><td>demo-reader</td><td>reader-secret</td><td>orders.read</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class DemoClients {

    /** A registered client and the scopes it may request; the first is the default. */
    public record Client(String id, String secret, List<String> scopes) {
    }

    private static final Map<String, Client> CLIENTS = Map.of(
            "demo-client", new Client("demo-client", "demo-secret", List.of("orders.read", "orders.write")),
            "demo-reader", new Client("demo-reader", "reader-secret", List.of("orders.read")));

    private DemoClients() {
    }

    /**
     * @return the client, when {@code id} is registered and {@code secret} is its secret (compared in
     *     constant time)
     */
    public static Optional<Client> authenticate(String id, String secret) {
        Client client = CLIENTS.get(id);
        byte[] expected = (client == null ? "\0no-such-client" : client.secret()).getBytes(StandardCharsets.UTF_8);
        boolean match = MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8));
        return client != null && match ? Optional.of(client) : Optional.empty();
    }

    /** @return every scope any client may request */
    public static Set<String> allScopes() {
        return Set.of("orders.read", "orders.write");
    }
}
