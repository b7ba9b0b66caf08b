package org.dpopj.core.token;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mints RFC 9068 access tokens with jose4j: valid by default, so that a test changes exactly one
 * thing ({@code TestTokens.mint(key).without("exp").sign()}).
 */
final class TestTokens {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String AUDIENCE = "https://api.example.com";
    static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private TestTokens() {
    }

    static PublicJsonWebKey rsa(String kid) {
        try {
            PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicJsonWebKey ec(String kid) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicJsonWebKey ed25519(String kid) {
        try {
            PublicJsonWebKey key = OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a token signed by {@code key} for {@code issuer}, valid at {@link #NOW} */
    static Mint mint(PublicJsonWebKey key, String issuer) {
        return new Mint(key, issuer);
    }

    /** A token under construction. */
    static final class Mint {
        private final PublicJsonWebKey key;
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Mint(PublicJsonWebKey key, String issuer) {
            this.key = key;
            header.put("alg", defaultAlg(key));
            header.put("typ", "at+jwt");
            header.put("kid", key.getKeyId());
            claims.put("iss", issuer);
            claims.put("aud", AUDIENCE);
            claims.put("sub", "alice");
            claims.put("client_id", "client-1");
            claims.put("scope", "read write");
            claims.put("iat", NOW.getEpochSecond());
            claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
            claims.put("jti", "jti-1");
            claims.put("cnf", Map.of("jkt", JKT));
        }

        private static String defaultAlg(PublicJsonWebKey key) {
            switch (key.getKeyType()) {
                case "RSA":
                    return "RS256";
                case "EC":
                    return "ES256";
                default:
                    return "EdDSA";
            }
        }

        Mint header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        Mint withoutHeader(String name) {
            header.remove(name);
            return this;
        }

        Mint claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        Mint without(String name) {
            claims.remove(name);
            return this;
        }

        Mint time(String name, Instant value) {
            return claim(name, value.getEpochSecond());
        }

        String sign() {
            try {
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(JsonUtil.toJson(claims));
                header.forEach(jws::setHeader);
                jws.setKey(key.getPrivateKey());
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }

        /** @return the token signed with HS256 using {@code secret} as the HMAC key */
        String signHmac(byte[] secret) {
            try {
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(JsonUtil.toJson(claims));
                header.forEach(jws::setHeader);
                jws.setAlgorithmHeaderValue("HS256");
                jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
                jws.setKey(new HmacKey(secret));
                jws.setDoKeyValidation(false);
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }

        /** @return the token unsigned, with {@code alg} {@code none} */
        String unsigned() {
            Map<String, Object> noneHeader = new LinkedHashMap<>(header);
            noneHeader.put("alg", "none");
            return b64(JsonUtil.toJson(noneHeader)) + "." + b64(JsonUtil.toJson(claims)) + ".";
        }
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static void assertInvalidToken(ThrowingCallable call) {
        assertFails(call, DPoPError.INVALID_TOKEN);
    }

    static void assertUnavailable(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DPoPException.class, e -> {
            assertThat(e.error()).isEqualTo(DPoPError.TEMPORARILY_UNAVAILABLE);
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.failedCheck()).contains(Check.ACCESS_TOKEN);
            assertThat(e.retryAfter()).isPresent();
        });
    }

    static void assertFails(ThrowingCallable call, DPoPError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DPoPException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.failedCheck()).contains(Check.ACCESS_TOKEN);
        });
    }
}
