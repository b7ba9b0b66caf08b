package org.dpopj.core.jose;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;

import org.dpopj.core.json.JsonLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7518 §3.3, §3.5 and RFC 8037 §3.1 through {@link Signatures}, with the JDK and with a named provider. */
class SignatureAlgorithmsTest {

    private static final String INPUT = Base64Url.encode("{\"alg\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "."
            + Base64Url.encode("{\"jti\":\"1\"}".getBytes(StandardCharsets.UTF_8));

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static PublicJwk rsaJwk(KeyPair keys) throws Exception {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return PublicJwk.parse(Map.of("kty", "RSA", "n", Base64Url.encode(unsigned(key.getModulus().toByteArray())),
                "e", Base64Url.encode(unsigned(key.getPublicExponent().toByteArray()))), KeyLimits.DEFAULT);
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static PublicJwk edJwk(KeyPair keys) throws Exception {
        byte[] encoded = ((EdECPublicKey) keys.getPublic()).getEncoded();
        byte[] x = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return PublicJwk.parse(Map.of("kty", "OKP", "crv", "Ed25519", "x", Base64Url.encode(x)), KeyLimits.DEFAULT);
    }

    private static byte[] sign(Signature signer, KeyPair keys) throws Exception {
        signer.initSign(keys.getPrivate());
        signer.update(INPUT.getBytes(StandardCharsets.US_ASCII));
        return signer.sign();
    }

    private static CompactJws jws(byte[] signature) throws Exception {
        return CompactJws.parse(INPUT + "." + Base64Url.encode(signature), JsonLimits.JOSE);
    }

    private static Signatures signatures(String provider) {
        return new Signatures(CryptoProvider.resolve(provider, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "SunRsaSign"})
    void verifiesRs256(String provider) throws Exception {
        KeyPair keys = rsa();
        byte[] signature = sign(Signature.getInstance("SHA256withRSA"), keys);

        assertThat(signatures(provider).verify(JwsAlgorithm.RS256, rsaJwk(keys), jws(signature))).isTrue();
        assertThat(signatures(provider).verify(JwsAlgorithm.RS384, rsaJwk(keys), jws(signature))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "SunRsaSign"})
    void verifiesPs256WithSaltAsLongAsTheHash(String provider) throws Exception {
        KeyPair keys = rsa();
        Signature signer = Signature.getInstance("RSASSA-PSS");
        signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));

        assertThat(signatures(provider).verify(JwsAlgorithm.PS256, rsaJwk(keys), jws(sign(signer, keys)))).isTrue();
    }

    @Test
    void refusesPs256WithAnotherSaltLength() throws Exception {
        KeyPair keys = rsa();
        Signature signer = Signature.getInstance("RSASSA-PSS");
        signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 0, 1));

        assertThat(signatures("jdk").verify(JwsAlgorithm.PS256, rsaJwk(keys), jws(sign(signer, keys)))).isFalse();
    }

    @Test
    void refusesRs256SignatureAsPs256() throws Exception {
        KeyPair keys = rsa();
        byte[] signature = sign(Signature.getInstance("SHA256withRSA"), keys);

        assertThat(signatures("jdk").verify(JwsAlgorithm.PS256, rsaJwk(keys), jws(signature))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "SunEC"})
    void verifiesEd25519(String provider) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signature = sign(Signature.getInstance("Ed25519"), keys);

        assertThat(signatures(provider).verify(JwsAlgorithm.EdDSA, edJwk(keys), jws(signature))).isTrue();
        signature[0] ^= 1;
        assertThat(signatures(provider).verify(JwsAlgorithm.EdDSA, edJwk(keys), jws(signature))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "SunRsaSign"})
    void verifiesEachSignatureWithItsOwnKeyWhenVerifiersAreReused(String provider) throws Exception {
        Signatures signatures = signatures(provider);
        KeyPair[] keys = {rsa(), rsa()};
        PSSParameterSpec pss = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < keys.length; k++) {
                Signature pkcs1 = Signature.getInstance("SHA256withRSA");
                Signature signer = Signature.getInstance("RSASSA-PSS");
                signer.setParameter(pss);
                byte[] rs256 = sign(pkcs1, keys[k]);
                byte[] ps256 = sign(signer, keys[k]);
                PublicJwk own = rsaJwk(keys[k]);
                PublicJwk other = rsaJwk(keys[1 - k]);

                assertThat(signatures.verify(JwsAlgorithm.RS256, own, jws(rs256))).isTrue();
                assertThat(signatures.verify(JwsAlgorithm.RS256, other, jws(rs256))).isFalse();
                // a signature the provider cannot even parse, then a valid one on the same algorithm
                assertThat(signatures.verify(JwsAlgorithm.RS256, own, jws(new byte[] {1}))).isFalse();
                assertThat(signatures.verify(JwsAlgorithm.RS256, own, jws(rs256))).isTrue();
                assertThat(signatures.verify(JwsAlgorithm.PS256, own, jws(ps256))).isTrue();
                assertThat(signatures.verify(JwsAlgorithm.PS256, other, jws(ps256))).isFalse();
                assertThat(signatures.verify(JwsAlgorithm.PS256, own, jws(rs256))).isFalse();
                assertThat(signatures.verify(JwsAlgorithm.PS256, own, jws(ps256))).isTrue();
            }
        }
    }
}
