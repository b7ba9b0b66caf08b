package org.dpopj.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/** Mints the benchmarks' DPoP proofs with jose4j, before any measurement. Stateless. */
final class BenchProofs {

    private BenchProofs() {
    }

    static PublicJsonWebKey key(KeyPair pair) throws Exception {
        PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        key.setPrivateKey(pair.getPrivate());
        return key;
    }

    static String sign(PublicJsonWebKey key, String alg, String htu, String token, Map<String, Object> headerOverrides)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringClaim("htm", "GET");
        claims.setStringClaim("htu", htu);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setStringClaim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII))));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue(alg);
        jws.getHeaders().setJwkHeaderValue("jwk", PublicJsonWebKey.Factory.newPublicJwk(
                key.toParams(OutputControlLevel.PUBLIC_ONLY)));
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        String signed = jws.getCompactSerialization();
        if (headerOverrides.isEmpty()) {
            return signed;
        }
        Map<String, Object> header = JsonUtil.parseJson(jws.getHeaders().getFullHeaderAsJsonString());
        header.putAll(headerOverrides);
        String[] parts = signed.split("\\.");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
    }
}
