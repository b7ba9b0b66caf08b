package org.dpopj.demo.token;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The demo token endpoint's signing key: an ES256 (P-256) key pair generated when the application
 * starts and never stored, exported or logged; only its public half is published, at {@code /jwks}.
 * Restarting the server therefore invalidates every issued token.
 *
 * <p>Application-scoped; immutable after {@link #generate()}, thread-safe.
 */
@ApplicationScoped
public class SigningKey {

    private PublicJsonWebKey key;
    private String jwks;

    @PostConstruct
    void generate() {
        try {
            PublicJsonWebKey generated = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            generated.setKeyId(UUID.randomUUID().toString());
            generated.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            generated.setUse("sig");
            key = generated;
            PublicJsonWebKey published = PublicJsonWebKey.Factory.newPublicJwk(generated.getPublicKey());
            published.setKeyId(generated.getKeyId());
            published.setAlgorithm(generated.getAlgorithm());
            published.setUse("sig");
            jwks = new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate the demo signing key", e);
        }
    }

    /** @return the public key set, as served at {@code /jwks} (RFC 7517 §5) */
    public String jwks() {
        return jwks;
    }

    /**
     * @param claimsJson the token's claims
     * @return the compact JWS, header {@code alg} ES256, {@code typ} at+jwt (RFC 9068 §2.1) and {@code kid}
     */
    public String sign(String claimsJson) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsJson);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setHeader("typ", "at+jwt");
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }
}
