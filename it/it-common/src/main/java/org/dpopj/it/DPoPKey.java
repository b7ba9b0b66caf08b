package org.dpopj.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A client's DPoP key pair, minting DPoP proofs (RFC 9449 §4.2) for integration tests.
 *
 * <pre>{@code
 * DPoPKey key = DPoPKey.es256();
 * String proof = key.proof().htm("GET").htu(uri).accessToken(token).sign();
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link ProofBuilder} is not.
 */
public final class DPoPKey {

    private final PublicJsonWebKey jwk;

    private DPoPKey(PublicJsonWebKey jwk) {
        this.jwk = jwk;
    }

    /** A fresh P-256 key pair for ES256 proofs. */
    public static DPoPKey es256() {
        try {
            return new DPoPKey(EcJwkGenerator.generateJwk(EllipticCurves.P256));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    /** The RFC 7638 JWK SHA-256 thumbprint, base64url: the {@code cnf.jkt} of tokens bound to this key. */
    public String thumbprint() {
        return jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** The public key as a JWK JSON object, as it appears in the proof's {@code jwk} header. */
    public String publicJwkJson() {
        return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Starts a proof with {@code typ dpop+jwt}, {@code alg ES256}, the public {@code jwk}, a random {@code jti} and {@code iat} now. */
    public ProofBuilder proof() {
        return new ProofBuilder();
    }

    /** The {@code ath} value for an access token: base64url(SHA-256(ASCII(token))) (RFC 9449 §4.2). */
    public static String ath(String accessToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One DPoP proof; set what the test needs, then {@link #sign()}. Not thread-safe. */
    public final class ProofBuilder {

        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private boolean embedJwk = true;

        private ProofBuilder() {
            header.put("typ", "dpop+jwt");
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("iat", Instant.now().getEpochSecond());
        }

        public ProofBuilder htm(String method) {
            return claim("htm", method);
        }

        public ProofBuilder htu(Object uri) {
            return claim("htu", uri.toString());
        }

        public ProofBuilder iat(Instant issuedAt) {
            return claim("iat", issuedAt.getEpochSecond());
        }

        public ProofBuilder jti(String jti) {
            return claim("jti", jti);
        }

        public ProofBuilder nonce(String nonce) {
            return claim("nonce", nonce);
        }

        /** Adds {@code ath} for the access token sent with the proof. */
        public ProofBuilder accessToken(String accessToken) {
            return claim("ath", ath(accessToken));
        }

        /** Sets any claim; {@code null} removes it. */
        public ProofBuilder claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        public ProofBuilder withoutClaim(String name) {
            return claim(name, null);
        }

        /** Sets any JOSE header except {@code alg} and {@code jwk}; {@code null} removes it. */
        public ProofBuilder header(String name, Object value) {
            if (value == null) {
                header.remove(name);
            } else {
                header.put(name, value);
            }
            return this;
        }

        /** Leaves the {@code jwk} header out. */
        public ProofBuilder withoutJwk() {
            embedJwk = false;
            return this;
        }

        /** The proof in JWS compact serialization, signed with ES256. */
        public String sign() {
            JwtClaims jwtClaims = new JwtClaims();
            claims.forEach(jwtClaims::setClaim);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            header.forEach((name, value) -> jws.getHeaders().setObjectHeaderValue(name, value));
            if (embedJwk) {
                jws.setJwkHeader(jwk);
            }
            jws.setPayload(jwtClaims.toJson());
            jws.setKey(jwk.getPrivateKey());
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException("cannot sign DPoP proof", e);
            }
        }
    }
}
