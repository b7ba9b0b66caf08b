package org.dpopj.demo.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The public clients registered at {@code POST /register} (RFC 7591): each a random {@code client_id},
 * its exact redirect URIs and the scopes it may ask for. Kept in memory, at most
 * {@value #MAX_CLIENTS}; past that the oldest registration is forgotten (a demo; a real authorization
 * server keeps them in a database and limits who may register). Application-scoped and thread-safe.
 */
@ApplicationScoped
public class RegisteredClients {

    /** How many registrations are kept. */
    public static final int MAX_CLIENTS = 1000;

    /** One registered public client; immutable. */
    public record Client(String id, String name, List<String> redirectUris, List<String> scopes, Instant issuedAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Client> clients = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Client> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /** @return the new client, with a fresh random id */
    public synchronized Client register(String name, List<String> redirectUris, List<String> scopes) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        Client client = new Client("dyn-" + Base64.getUrlEncoder().withoutPadding().encodeToString(id), name,
                List.copyOf(redirectUris), List.copyOf(scopes), clock.instant());
        clients.put(client.id(), client);
        return client;
    }

    /** @return the client registered under {@code id} */
    public synchronized Optional<Client> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(clients.get(id));
    }
}
