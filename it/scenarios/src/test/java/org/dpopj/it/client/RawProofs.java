package org.dpopj.it.client;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.dpopj.it.DPoPKey;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/** Proofs {@link DPoPKey} will not make: unsigned, HMAC-signed, or carrying a private key. */
public final class RawProofs {

    private RawProofs() {
    }

    private static Map<String, Object> claims(String htm, String htu, String token) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", htm);
        claims.put("htu", htu);
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("ath", DPoPKey.ath(token));
        return claims;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code alg: none} with the key's public JWK, and a non-empty dummy signature part. */
    public static String algNone(DPoPKey key, String htm, String htu, String token) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", "none");
        header.put("jwk", parse(key.publicJwkJson()));
        return b64(JsonUtil.toJson(header)) + "." + b64(JsonUtil.toJson(claims(htm, htu, token))) + ".AAAA";
    }

    /** HS256 over a shared secret, with the key's public JWK in the header. */
    public static String hs256(DPoPKey key, String htm, String htu, String token) {
        return hs256(key, htm, htu, token, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    /** HS256 over {@code secret}, with the key's public JWK in the header. */
    public static String hs256(DPoPKey key, String htm, String htu, String token, byte[] secret) {
        return signed(AlgorithmIdentifiers.HMAC_SHA256, parse(key.publicJwkJson()), new HmacKey(secret), htm, htu, token);
    }

    /** ES256, correctly signed, but the {@code jwk} header also carries the private member {@code d}. */
    public static String privateJwk(String htm, String htu, String token) {
        try {
            return privateJwk(EcJwkGenerator.generateJwk(EllipticCurves.P256), htm, htu, token);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ES256 with {@code key}, correctly signed, but the {@code jwk} header also carries its private member {@code d}. */
    public static String privateJwk(PublicJsonWebKey key, String htm, String htu, String token) {
        return signed(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                parse(key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)), key.getPrivateKey(), htm, htu, token);
    }

    /**
     * A proof signed by {@code alg} with {@code key} (not checked against {@code alg}), whose {@code jwk}
     * header is {@code jwk} as given, whatever members it has.
     */
    public static String signed(String alg, Map<String, Object> jwk, Key key, String htm, String htu, String token) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        jws.getHeaders().setObjectHeaderValue("typ", "dpop+jwt");
        jws.getHeaders().setObjectHeaderValue("jwk", jwk);
        jws.setPayload(JsonUtil.toJson(claims(htm, htu, token)));
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JsonUtil.parseJson(json);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
