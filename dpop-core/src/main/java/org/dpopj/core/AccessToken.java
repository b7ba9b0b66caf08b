package org.dpopj.core;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated access token, as an {@link org.dpopj.core.spi.AccessTokenResolver} returns it: the
 * subject, scopes, expiry, client id, the key binding {@code cnf.jkt} (RFC 9449 §6), the token type
 * an introspection endpoint reported, and the remaining claims. It never holds the token itself.
 *
 * <p>Immutable and thread-safe; claim values are the JSON-decoded values (String, Number, Boolean,
 * List, Map) as unmodifiable copies.
 */
public final class AccessToken {

    private final String subject;
    private final Set<String> scopes;
    private final Instant expiresAt;
    private final String clientId;
    private final String jkt;
    private final String tokenType;
    private final Map<String, Object> claims;

    private AccessToken(Builder builder) {
        this.subject = builder.subject;
        this.scopes = Set.copyOf(builder.scopes);
        this.expiresAt = builder.expiresAt;
        this.clientId = builder.clientId;
        this.jkt = builder.jkt;
        this.tokenType = builder.tokenType;
        this.claims = Map.copyOf(builder.claims);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the {@code sub} claim */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** @return the scopes granted ({@code scope}, split on spaces) */
    public Set<String> scopes() {
        return scopes;
    }

    /** @return when the token expires ({@code exp}) */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** @return the {@code client_id} claim */
    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    /** @return the JWK SHA-256 thumbprint the token is bound to ({@code cnf.jkt}), if bound */
    public Optional<String> jkt() {
        return Optional.ofNullable(jkt);
    }

    /** @return the {@code token_type} an introspection endpoint reported, if any (RFC 7662 §2.2) */
    public Optional<String> tokenType() {
        return Optional.ofNullable(tokenType);
    }

    /** @return all claims of the token or introspection response */
    public Map<String, Object> claims() {
        return claims;
    }

    /** Builds an {@link AccessToken}; not thread-safe. */
    public static final class Builder {
        private String subject;
        private final Set<String> scopes = new LinkedHashSet<>();
        private Instant expiresAt;
        private String clientId;
        private String jkt;
        private String tokenType;
        private Map<String, Object> claims = Map.of();

        private Builder() {
        }

        /**
         * @param subject the token's {@code sub}, or {@code null}
         * @return this builder
         */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /**
         * @param scopes scopes to add; blank entries are ignored
         * @return this builder
         */
        public Builder scopes(Iterable<String> scopes) {
            for (String scope : scopes) {
                if (scope != null && !scope.isBlank()) {
                    this.scopes.add(scope);
                }
            }
            return this;
        }

        /**
         * @param scope a space-separated {@code scope} claim (RFC 6749 §3.3); may be {@code null}
         * @return this builder
         */
        public Builder scope(String scope) {
            if (scope != null) {
                scopes(java.util.Arrays.asList(scope.trim().split(" +")));
            }
            return this;
        }

        /**
         * @param expiresAt the token's {@code exp}, or {@code null}
         * @return this builder
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /**
         * @param clientId the token's {@code client_id}, or {@code null}
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * @param jkt the {@code cnf.jkt} thumbprint, or {@code null} for an unbound token
         * @return this builder
         */
        public Builder jkt(String jkt) {
            this.jkt = jkt;
            return this;
        }

        /**
         * @param tokenType the introspected {@code token_type}, or {@code null}
         * @return this builder
         */
        public Builder tokenType(String tokenType) {
            this.tokenType = tokenType;
            return this;
        }

        /**
         * @param claims the token's claims; {@code null} values are dropped
         * @return this builder
         */
        public Builder claims(Map<String, Object> claims) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            Objects.requireNonNull(claims, "claims").forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
            this.claims = copy;
            return this;
        }

        /** @return the token value */
        public AccessToken build() {
            return new AccessToken(this);
        }
    }
}
