package org.dpopj.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dpopj.core.AccessToken;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.spi.NonceSource;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The fixture of the fuzz targets: a pinned time, method and URL, and one signing key per key type and
 * curve, each with an access token bound to its thumbprint. Seeds are signed with these keys at the start
 * of the run, so the validator target can tell a proof that genuinely verifies from one it should never
 * have accepted.
 */
final class FuzzKeys {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String METHOD = "GET";
    static final String HTU = "https://api.example.com/orders";
    /** A token the resolver knows but that is bound to no key: acceptable as Bearer in mixed mode only. */
    static final String UNBOUND_TOKEN = "fuzz-token-unbound";
    private static final byte[] NONCE_SECRET = "dpopj fuzz nonce secret, 32 bytes or more".getBytes(StandardCharsets.US_ASCII);

    /** The proof algorithms seeded, each with the name of the key that signs it. */
    static final Map<String, String> KEY_OF_ALG = Map.of(
            "ES256", "p256", "ES384", "p384", "ES512", "p521",
            "PS256", "rsa", "PS384", "rsa", "PS512", "rsa",
            "RS256", "rsa", "RS384", "rsa", "RS512", "rsa",
            "EdDSA", "ed25519");

    private static FuzzKeys instance;

    private final Map<String, PublicJsonWebKey> keys = new LinkedHashMap<>();

    private FuzzKeys() {
        keys.put("p256", generate("p256", "EC", new ECGenParameterSpec("secp256r1")));
        keys.put("p384", generate("p384", "EC", new ECGenParameterSpec("secp384r1")));
        keys.put("p521", generate("p521", "EC", new ECGenParameterSpec("secp521r1")));
        keys.put("rsa", generate("rsa", "RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)));
        keys.put("ed25519", generate("ed25519", "Ed25519", NamedParameterSpec.ED25519));
    }

    static synchronized FuzzKeys get() {
        if (instance == null) {
            instance = new FuzzKeys();
        }
        return instance;
    }

    /**
     * The same key on every run (a seeded SHA1PRNG is deterministic), so that the corpus Jazzer keeps
     * under {@code target/} stays signed by the fixture's keys from one run to the next.
     */
    private static PublicJsonWebKey generate(String name, String type, AlgorithmParameterSpec spec) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(("dpopj fuzz key " + name).getBytes(StandardCharsets.US_ASCII));
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            generator.initialize(spec, random);
            KeyPair pair = generator.generateKeyPair();
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            return jwk;
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the " + name + " key", e);
        }
    }

    /** @return the nonce source of the validator configuration that requires nonces; the same secret each time */
    static NonceSource nonces() {
        return HmacNonceSource.create(NONCE_SECRET, Duration.ofSeconds(60));
    }

    /** @return the key that signs proofs of {@code alg} */
    PublicJsonWebKey forAlg(String alg) {
        return keys.get(KEY_OF_ALG.get(alg));
    }

    /** @return the public JWK of the key for {@code alg}, as JSON */
    String publicJwk(String alg) {
        return forAlg(alg).toJson(OutputControlLevel.PUBLIC_ONLY);
    }

    /** @return the JWK of the key for {@code alg} with its private members, as JSON */
    String privateJwk(String alg) {
        return forAlg(alg).toJson(OutputControlLevel.INCLUDE_PRIVATE);
    }

    /** @return the access token bound to the key for {@code alg} */
    static String token(String alg) {
        return "fuzz-token-" + KEY_OF_ALG.get(alg);
    }

    /** @return base64url(SHA-256(token)), the {@code ath} of a proof for {@code token} */
    static String ath(String token) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the access tokens the resolver knows: one bound to each key's RFC 7638 thumbprint, one unbound */
    Map<String, AccessToken> accessTokens() {
        Map<String, AccessToken> tokens = new LinkedHashMap<>();
        keys.forEach((name, key) -> tokens.put("fuzz-token-" + name,
                AccessToken.builder().subject("alice").jkt(key.calculateBase64urlEncodedThumbprint("SHA-256")).build()));
        tokens.put(UNBOUND_TOKEN, AccessToken.builder().subject("bob").build());
        return tokens;
    }

    /** @return the fixture key whose thumbprint this is, or {@code null} */
    PublicJsonWebKey byThumbprint(String thumbprint) {
        for (PublicJsonWebKey key : keys.values()) {
            if (key.calculateBase64urlEncodedThumbprint("SHA-256").equals(thumbprint)) {
                return key;
            }
        }
        return null;
    }
}
