package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;

import org.dpopj.core.json.JsonLimits;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private final Signatures signatures = new Signatures();

    private static KeyPair ecKeys(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static PublicJwk jwk(KeyPair keys, String crv, int size) throws Exception {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        return PublicJwk.parse(Map.of("kty", "EC", "crv", crv,
                "x", Base64Url.encode(fixed(key.getW().getAffineX(), size)),
                "y", Base64Url.encode(fixed(key.getW().getAffineY(), size))), KeyLimits.DEFAULT);
    }

    private static byte[] fixed(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static String signingInput(String alg) {
        return Base64Url.encode(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode("{\"jti\":\"1\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static CompactJws jws(String signingInput, byte[] signature) throws Exception {
        return CompactJws.parse(signingInput + "." + Base64Url.encode(signature), JsonLimits.JOSE);
    }

    private static byte[] sign(KeyPair keys, String algorithm, String signingInput) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(keys.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signer.sign();
    }

    private boolean verifies(JwsAlgorithm alg, KeyPair keys, String crv, int size, String input, byte[] signature)
            throws Exception {
        return signatures.verify(alg, jwk(keys, crv, size), jws(input, signature));
    }

    @Test
    void verifiesEs256OverFixedLengthRAndS() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        String input = signingInput("ES256");

        byte[] signature = sign(keys, "SHA256withECDSAinP1363Format", input);

        assertThat(verifies(JwsAlgorithm.ES256, keys, "P-256", 32, input, signature)).isTrue();
    }

    @Test
    void verifiesEs512OverFixedLengthRAndS() throws Exception {
        KeyPair keys = ecKeys("secp521r1");
        String input = signingInput("ES512");

        byte[] signature = sign(keys, "SHA512withECDSAinP1363Format", input);

        assertThat(verifies(JwsAlgorithm.ES512, keys, "P-521", 66, input, signature)).isTrue();
    }

    @Test
    void refusesEs256SignatureInDerForm() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        String input = signingInput("ES256");

        byte[] der = sign(keys, "SHA256withECDSA", input);

        assertThat(verifies(JwsAlgorithm.ES256, keys, "P-256", 32, input, der)).isFalse();
    }

    @Test
    void refusesEs256SignatureWithAnExtraLeadingZero() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        String input = signingInput("ES256");
        byte[] signature = sign(keys, "SHA256withECDSAinP1363Format", input);

        byte[] padded = new byte[65];
        System.arraycopy(signature, 0, padded, 1, 64);

        assertThat(verifies(JwsAlgorithm.ES256, keys, "P-256", 32, input, padded)).isFalse();
    }

    @Test
    void refusesEs256SignatureOverOtherInput() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        byte[] signature = sign(keys, "SHA256withECDSAinP1363Format", signingInput("ES256"));

        CompactJws other = jws(signingInput("ES384"), signature);

        assertThat(signatures.verify(JwsAlgorithm.ES256, jwk(keys, "P-256", 32), other)).isFalse();
    }

    @Test
    void refusesEs256WithAKeyOfAnotherCurve() throws Exception {
        KeyPair keys = ecKeys("secp384r1");
        String input = signingInput("ES256");
        byte[] signature = Arrays.copyOf(sign(keys, "SHA384withECDSAinP1363Format", input), 64);

        assertThat(verifies(JwsAlgorithm.ES256, keys, "P-384", 48, input, signature)).isFalse();
    }
}
