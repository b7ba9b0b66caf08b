package org.dpopj.client;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dpopj.client.internal.Json;


/**
 * A public key as a JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2), its RFC 7638 thumbprint, and the
 * base64url and SHA-256 the proofs need. Package-private. Stateless and thread-safe.
 */
final class PublicJwks {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int MIN_RSA_BITS = 2048;

    private PublicJwks() {
    }

    static DPoPAlgorithm inferAlgorithm(PublicKey publicKey) {
        if (publicKey instanceof ECPublicKey) {
            int bits = ((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize();
            for (DPoPAlgorithm candidate : new DPoPAlgorithm[] {DPoPAlgorithm.ES256, DPoPAlgorithm.ES384, DPoPAlgorithm.ES512}) {
                if (candidate.fitsFieldSize(bits)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("Unsupported EC curve: use P-256, P-384 or P-521");
        }
        if (publicKey instanceof RSAPublicKey) {
            return DPoPAlgorithm.PS256;
        }
        if ("Ed25519".equals(publicKey.getAlgorithm()) || "EdDSA".equals(publicKey.getAlgorithm())) {
            return DPoPAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("Unsupported key type " + publicKey.getAlgorithm());
    }

    /** @return the JWK members in RFC 7638 §3.2 order, which is also the thumbprint's input */
    static Map<String, Object> publicJwk(DPoPAlgorithm algorithm, PublicKey publicKey) throws GeneralSecurityException {
        Map<String, Object> jwk = new LinkedHashMap<>();
        switch (algorithm.keyType()) {
            case "EC": {
                if (!(publicKey instanceof ECPublicKey)) {
                    throw new InvalidKeyException(algorithm + " needs an EC key");
                }
                ECPublicKey ec = (ECPublicKey) publicKey;
                requireCurve(algorithm, ec.getParams());
                jwk.put("crv", algorithm.curve());
                jwk.put("kty", "EC");
                jwk.put("x", base64url(unsigned(ec.getW().getAffineX(), algorithm.coordinateSize())));
                jwk.put("y", base64url(unsigned(ec.getW().getAffineY(), algorithm.coordinateSize())));
                return jwk;
            }
            case "RSA": {
                if (!(publicKey instanceof RSAPublicKey)) {
                    throw new InvalidKeyException(algorithm + " needs an RSA key");
                }
                RSAPublicKey rsa = (RSAPublicKey) publicKey;
                if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new InvalidKeyException("RSA keys must have at least " + MIN_RSA_BITS + " bits (RFC 7518 §3.3)");
                }
                jwk.put("e", base64url(unsigned(rsa.getPublicExponent(), 0)));
                jwk.put("kty", "RSA");
                jwk.put("n", base64url(unsigned(rsa.getModulus(), 0)));
                return jwk;
            }
            default: {
                jwk.put("crv", "Ed25519");
                jwk.put("kty", "OKP");
                jwk.put("x", base64url(ed25519Point(publicKey)));
                return jwk;
            }
        }
    }

    static void requireCurve(DPoPAlgorithm algorithm, ECParameterSpec actual) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(algorithm == DPoPAlgorithm.ES256 ? "secp256r1"
                : algorithm == DPoPAlgorithm.ES384 ? "secp384r1" : "secp521r1"));
        ECParameterSpec expected = parameters.getParameterSpec(ECParameterSpec.class);
        if (!expected.getCurve().equals(actual.getCurve()) || !expected.getOrder().equals(actual.getOrder())
                || !expected.getGenerator().equals(actual.getGenerator())) {
            throw new InvalidKeyException(algorithm + " needs a key on " + algorithm.curve());
        }
    }

    /** The 32-byte public point: the tail of the X.509 SubjectPublicKeyInfo (RFC 8410 §4), whatever the provider. */
    static byte[] ed25519Point(PublicKey publicKey) throws GeneralSecurityException {
        byte[] spki = publicKey.getEncoded();
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        if (spki == null || spki.length != prefix.length + 32 || !Arrays.equals(spki, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new InvalidKeyException("EdDSA needs an Ed25519 public key");
        }
        return Arrays.copyOfRange(spki, prefix.length, spki.length);
    }

    static String thumbprint(Map<String, Object> orderedJwk) {
        return base64url(sha256(Json.write(orderedJwk).getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int length = bytes.length - start;
        int outLength = Math.max(size, length);
        byte[] out = new byte[outLength];
        System.arraycopy(bytes, start, out, outLength - length, length);
        return out;
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
