package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The proof-key cache answers exactly what parsing would, once per key, within its bound. */
class PublicJwkCacheTest {

    private final PublicJwkCache cache = new PublicJwkCache(8, KeyLimits.DEFAULT, CryptoProvider.jdk());

    private static Map<String, Object> ecJwk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        Map<String, Object> jwk = new HashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", Base64Url.encode(fixed(key.getW().getAffineX())));
        jwk.put("y", Base64Url.encode(fixed(key.getW().getAffineY())));
        return jwk;
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    @Test
    void parsesAKeySeenBeforeOnlyOnce() throws Exception {
        Map<String, Object> jwk = ecJwk();

        PublicJwk first = cache.get(jwk);
        PublicJwk again = cache.get(new HashMap<>(jwk));

        assertThat(again).isSameAs(first);
        assertThat(again.thumbprint()).isEqualTo(PublicJwk.parse(jwk, KeyLimits.DEFAULT).thumbprint());
    }

    @Test
    void keepsTheKidEachJwkWasSentWith() throws Exception {
        Map<String, Object> jwk = ecJwk();
        Map<String, Object> withKid = new HashMap<>(jwk);
        withKid.put("kid", "client-key-2");

        PublicJwk plain = cache.get(jwk);
        PublicJwk named = cache.get(withKid);

        assertThat(plain.publicMembers()).doesNotContainKey("kid");
        assertThat(named.publicMembers()).containsEntry("kid", "client-key-2");
        assertThat(named.thumbprint()).isEqualTo(plain.thumbprint());
    }

    @Test
    void refusesAKnownKeySentWithItsPrivatePart() throws Exception {
        Map<String, Object> jwk = ecJwk();
        cache.get(jwk);
        Map<String, Object> withPrivate = new HashMap<>(jwk);
        withPrivate.put("d", Base64Url.encode(new byte[32]));

        assertThatThrownBy(() -> cache.get(withPrivate)).isInstanceOf(JoseFormatException.class);
    }

    @Test
    void refusesAnInvalidKeyEveryTimeAndNeverRemembersIt() throws Exception {
        Map<String, Object> jwk = ecJwk();
        jwk.put("y", jwk.get("x"));

        assertThatThrownBy(() -> cache.get(jwk)).isInstanceOf(JoseFormatException.class);
        assertThatThrownBy(() -> cache.get(jwk)).isInstanceOf(JoseFormatException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void remembersNoMoreKeysThanItsBound() throws Exception {
        for (int i = 0; i < 20; i++) {
            cache.get(ecJwk());
        }

        assertThat(cache.size()).isLessThanOrEqualTo(8);
    }

    @Test
    void remembersNothingWithABoundOfZero() throws Exception {
        PublicJwkCache none = new PublicJwkCache(0, KeyLimits.DEFAULT, CryptoProvider.jdk());
        Map<String, Object> jwk = ecJwk();

        assertThat(none.get(jwk)).isNotSameAs(none.get(jwk));
        assertThat(none.size()).isZero();
    }
}
