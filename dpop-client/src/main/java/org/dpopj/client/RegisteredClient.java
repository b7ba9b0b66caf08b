package org.dpopj.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A client an authorization server registered (RFC 7591 §3.2.1): its {@code client_id} and, for a
 * confidential client, its {@code client_secret}. {@link #toString()} never shows the secret.
 * Immutable and thread-safe.
 */
public final class RegisteredClient {

    private final String clientId;
    private final String clientSecret;

    RegisteredClient(String clientId, String clientSecret) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = clientSecret;
    }

    /** @return the client id */
    public String clientId() {
        return clientId;
    }

    /** @return the client secret, for a confidential client; never log it */
    public Optional<String> clientSecret() {
        return Optional.ofNullable(clientSecret);
    }

    /** @return the client id and whether there is a secret; never the secret */
    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + clientId + ", secret=" + (clientSecret == null ? "none" : "present") + "]";
    }
}
