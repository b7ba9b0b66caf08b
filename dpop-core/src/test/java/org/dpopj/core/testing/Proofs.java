package org.dpopj.core.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Mints real ES256 proofs with jose4j and builds validators over in-test stores, for the adapters'
 * translation tests (shared through the dpop-core test-jar).
 */
public final class Proofs {

    public static final String TOKEN = "token-alice";
    public static final String UNBOUND_TOKEN = "token-unbound";

    private final EllipticCurveJsonWebKey key;

    public Proofs() {
        try {
            key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public String thumbprint() {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    public String proof(String htm, String htu, String token) {
        return proof(htm, htu, token, null);
    }

    public String proof(String htm, String htu, String token, String nonce) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setJwtId(UUID.randomUUID().toString());
            claims.setClaim("htm", htm);
            claims.setClaim("htu", htu);
            claims.setIssuedAtToNow();
            if (token != null) {
                claims.setClaim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII))));
            }
            if (nonce != null) {
                claims.setClaim("nonce", nonce);
            }
            JsonWebSignature jws = new JsonWebSignature();
            jws.setHeader("typ", "dpop+jwt");
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setJwkHeader(key);
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            return jws.getCompactSerialization();
        } catch (JoseException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
