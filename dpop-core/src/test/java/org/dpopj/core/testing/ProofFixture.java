package org.dpopj.core.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.Sha256;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;

/**
 * The one proof minter of the test suites (dpop-core's, the adapters', through the test-jar): mints
 * DPoP proofs with jose4j and lets a test change exactly one thing:
 * {@code proofs.es256().htm("POST").without("jti").sign()}. Keys are generated once per algorithm and
 * name per fixture (RSA generation is slow). Thread-safe for key lookup; a {@link Proof} is not.
 */
public final class ProofFixture {

    public static final String HTU = "https://api.example.com/orders";
    public static final String TOKEN = "token-" + "A1b2C3d4E5f6G7h8";

    private final Instant now;
    private final Map<String, PublicJsonWebKey> keys = new ConcurrentHashMap<>();

    public ProofFixture(Instant now) {
        this.now = now;
    }

    public Proof es256() {
        return of("ES256");
    }

    public Proof of(String alg) {
        return new Proof(alg, key(alg, "default"));
    }

    /** @return a proof signed by the key named {@code keyName}, generated on first use */
    public Proof of(String alg, String keyName) {
        return new Proof(alg, key(alg, keyName));
    }

    /** @return a key for {@code alg}; the same {@code name} gives the same key */
    public PublicJsonWebKey key(String alg, String name) {
        return keys.computeIfAbsent(alg + "/" + name, k -> generate(alg));
    }

    public static PublicJsonWebKey generate(String alg) {
        try {
            KeyPair pair;
            if (alg.startsWith("ES")) {
                String curve = switch (alg) {
                    case "ES256" -> "secp256r1";
                    case "ES384" -> "secp384r1";
                    default -> "secp521r1";
                };
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(curve));
                pair = generator.generateKeyPair();
            } else if (alg.equals("EdDSA")) {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
            }
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            return jwk;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String thumbprint(PublicJsonWebKey jwk) {
        try {
            return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String ath(String token) {
        return Sha256.base64Url(token);
    }

    /** One proof under construction; every method changes one thing. */
    public final class Proof {
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private PublicJsonWebKey signingKey;
        private final String signingAlg;

        private Proof(String alg, PublicJsonWebKey key) {
            this.signingKey = key;
            this.signingAlg = alg;
            header.put("typ", "dpop+jwt");
            header.put("alg", alg);
            header.put("jwk", key.toParams(OutputControlLevel.PUBLIC_ONLY));
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("htm", "GET");
            claims.put("htu", HTU);
            claims.put("iat", now.getEpochSecond());
            claims.put("ath", ath(TOKEN));
        }

        public PublicJsonWebKey key() {
            return signingKey;
        }

        public String thumbprint() {
            return ProofFixture.thumbprint(signingKey);
        }

        public Proof header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        public Proof withoutHeader(String name) {
            header.remove(name);
            return this;
        }

        public Proof claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Proof without(String claim) {
            claims.remove(claim);
            return this;
        }

        public Proof htm(String htm) {
            return claim("htm", htm);
        }

        public Proof htu(String htu) {
            return claim("htu", htu);
        }

        public Proof iat(Instant iat) {
            return claim("iat", iat.getEpochSecond());
        }

        public Proof jti(String jti) {
            return claim("jti", jti);
        }

        public Proof nonce(String nonce) {
            return claim("nonce", nonce);
        }

        public Proof athOf(String token) {
            return claim("ath", ath(token));
        }

        /** Embeds {@code jwk} in the header while still signing with this proof's own key. */
        public Proof jwk(Map<String, Object> jwk) {
            return header("jwk", jwk);
        }

        /** Signs with {@code key} but keeps the header's jwk. */
        public Proof signedBy(PublicJsonWebKey key) {
            this.signingKey = key;
            return this;
        }

        public String sign() {
            try {
                JsonWebSignature jws = new JsonWebSignature();
                for (Map.Entry<String, Object> entry : header.entrySet()) {
                    jws.getHeaders().setObjectHeaderValue(entry.getKey(), entry.getValue());
                }
                jws.setAlgorithmHeaderValue(signingAlg);
                jws.setPayload(JsonUtil.toJson(claims));
                jws.setKey(signingKey.getPrivateKey());
                jws.setDoKeyValidation(false);
                String signed = jws.getCompactSerialization();
                if (!signingAlg.equals(header.get("alg"))) {
                    // the header alg was changed on purpose: re-encode the header, keep the signature
                    String[] parts = signed.split("\\.");
                    return encodedHeader() + "." + parts[1] + "." + parts[2];
                }
                if (!header.containsKey("alg")) {
                    String[] parts = signed.split("\\.");
                    return encodedHeader() + "." + parts[1] + "." + parts[2];
                }
                return signed;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** @return the header JSON this proof would be signed with, for tests that edit it by hand */
        public String headerJson() {
            Map<String, Object> full = new LinkedHashMap<>(header);
            full.putIfAbsent("alg", signingAlg);
            return JsonUtil.toJson(full);
        }

        /** @return the claims JSON this proof would be signed with, for tests that edit it by hand */
        public String claimsJson() {
            return JsonUtil.toJson(claims);
        }

        /** Signs hand-written header and claims text, byte for byte as given. */
        public String signRaw(String headerJson, String claimsJson) {
            try {
                String input = Base64Url.encode(headerJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                        + Base64Url.encode(claimsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                org.jose4j.jws.JsonWebSignatureAlgorithm algorithm = org.jose4j.jwa.AlgorithmFactoryFactory.getInstance()
                        .getJwsAlgorithmFactory().getAlgorithm(signingAlg);
                org.jose4j.jca.ProviderContext context = new org.jose4j.jca.ProviderContext();
                byte[] signature = algorithm.sign(algorithm.prepareForSign(signingKey.getPrivateKey(), context),
                        input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return input + "." + Base64Url.encode(signature);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private String encodedHeader() {
            return Base64Url.encode(JsonUtil.toJson(header).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
