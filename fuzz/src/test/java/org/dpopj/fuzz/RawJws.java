package org.dpopj.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWSs built from raw header and claims bytes and signed with the JCA directly (neither jose4j
 * nor dpop-core), so that a seed can be wrong in exactly one way: duplicated members, odd UTF-8, a
 * DER signature, an HMAC keyed with a public key.
 */
final class RawJws {

    private RawJws() {
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String utf8) {
        return b64(utf8.getBytes(StandardCharsets.UTF_8));
    }

    static String compact(byte[] header, byte[] claims, byte[] signature) {
        return b64(header) + "." + b64(claims) + "." + b64(signature);
    }

    /** @return the JWS of {@code header} and {@code claims} (UTF-8), signed with the JCA form of {@code alg} */
    static String signed(String alg, PrivateKey key, String header, String claims) {
        return signed(alg, key, header.getBytes(StandardCharsets.UTF_8), claims.getBytes(StandardCharsets.UTF_8));
    }

    static String signed(String alg, PrivateKey key, byte[] header, byte[] claims) {
        byte[] input = signingInput(header, claims);
        return b64(header) + "." + b64(claims) + "." + b64(sign(alg, key, input));
    }

    static byte[] signingInput(byte[] header, byte[] claims) {
        return (b64(header) + "." + b64(claims)).getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 7518 §3: the signature of {@code input}; ECDSA in the R‖S form a JWS requires. */
    static byte[] sign(String alg, PrivateKey key, byte[] input) {
        try {
            Signature signature = switch (alg) {
                case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
                case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
                case "ES512" -> Signature.getInstance("SHA512withECDSAinP1363Format");
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "RS384" -> Signature.getInstance("SHA384withRSA");
                case "RS512" -> Signature.getInstance("SHA512withRSA");
                case "PS256", "PS384", "PS512" -> pss(alg);
                case "EdDSA" -> Signature.getInstance("Ed25519");
                default -> throw new IllegalArgumentException("no JCA signature for " + alg);
            };
            signature.initSign(key);
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return an ECDSA signature in the ASN.1 DER form, which RFC 7518 §3.4 does not allow */
    static byte[] signDer(String alg, PrivateKey key, byte[] input) {
        try {
            Signature signature = Signature.getInstance("SHA" + alg.substring(2) + "withECDSA");
            signature.initSign(key);
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmacSha256(byte[] secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Signature pss(String alg) throws GeneralSecurityException {
        int bits = Integer.parseInt(alg.substring(2));
        String digest = "SHA-" + bits;
        Signature signature = Signature.getInstance("RSASSA-PSS");
        signature.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), bits / 8, 1));
        return signature;
    }
}
