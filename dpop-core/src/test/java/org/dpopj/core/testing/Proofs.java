package org.dpopj.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.dpopj.core.AccessToken;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.DPoPValidatorBuilder;
import org.dpopj.core.NonceMode;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;

/**
 * Real ES256 proofs (minted by {@link ProofFixture}, with the current time) and validators over in-test
 * stores, for the adapters' translation tests (shared through the dpop-core test-jar).
 */
public final class Proofs {

    public static final String TOKEN = "token-alice";
    public static final String UNBOUND_TOKEN = "token-unbound";

    private final ProofFixture fixture = new ProofFixture(Instant.now());

    /** @return the RFC 7638 thumbprint of this instance's ES256 key */
    public String thumbprint() {
        return fixture.es256().thumbprint();
    }

    /** @return a fresh ES256 proof for {@code htm} and {@code htu}, with {@code ath} when a token is given */
    public String proof(String htm, String htu, String token) {
        return proof(htm, htu, token, null);
    }

    /** @return as {@link #proof(String, String, String)}, with {@code nonce} when it is not {@code null} */
    public String proof(String htm, String htu, String token, String nonce) {
        ProofFixture.Proof proof = fixture.es256().htm(htm).htu(htu).iat(Instant.now());
        proof = token == null ? proof.without("ath") : proof.athOf(token);
        return (nonce == null ? proof : proof.nonce(nonce)).sign();
    }

    /** A validator that knows {@link #TOKEN} (subject alice, bound to this key) and {@link #UNBOUND_TOKEN}. */
    public DPoPValidatorBuilder validator() {
        return DPoPValidator.builder()
                .replayStore(new MapReplayStore())
                .accessTokenResolver(new MapTokenResolver(Map.of(
                        TOKEN, AccessToken.builder().subject("alice").clientId("client-1")
                                .scopes(List.of("orders.read", "admin")).jkt(thumbprint()).build(),
                        UNBOUND_TOKEN, AccessToken.builder().subject("bob").build())));
    }

    /** A validator that requires nonces and always finds them about to expire, so each success rotates one. */
    public DPoPValidatorBuilder rotatingNonces(String nextNonce) {
        return validator().nonces(NonceMode.REQUIRED, new NonceSource() {
            @Override
            public String issue(Instant now) {
                return nextNonce;
            }

            @Override
            public Status check(String nonce, Instant now) {
                return Status.EXPIRING;
            }

            @Override
            public Duration maxLifetime() {
                return Duration.ofMinutes(2);
            }
        });
    }

    /** Records replay keys in a map; never full. */
    public static final class MapReplayStore implements ReplayStore {
        final Map<String, Instant> used = new ConcurrentHashMap<>();

        @Override
        public Outcome markUsed(String scope, String key, Instant expiresAt) {
            return used.putIfAbsent(key, expiresAt) == null ? Outcome.FIRST_USE : Outcome.REPLAYED;
        }

        @Override
        public boolean isClusterWide() {
            return true;
        }
    }

    /** Maps known token strings to tokens; anything else is invalid. */
    public static final class MapTokenResolver implements AccessTokenResolver {
        private final Map<String, AccessToken> tokens;

        public MapTokenResolver(Map<String, AccessToken> tokens) {
            this.tokens = tokens;
        }

        @Override
        public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
            AccessToken known = tokens.get(token);
            if (known == null) {
                throw DPoPException.invalidToken(Check.ACCESS_TOKEN, "Unknown token");
            }
            return known;
        }
    }
}
