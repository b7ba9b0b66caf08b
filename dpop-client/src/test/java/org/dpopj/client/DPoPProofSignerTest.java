package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DPoPProofSignerTest {

    private static final URI ORDERS = URI.create("https://api.example.com/orders");

    @ParameterizedTest
    @EnumSource(DPoPAlgorithm.class)
    void signsProofsOurValidatorAcceptsForEveryAlgorithm(DPoPAlgorithm algorithm) throws DPoPException {
        DPoPProofSigner signer = DPoPProofSigner.generate(algorithm);
        String proof = signer.proof("GET", URI.create("https://api.example.com/orders?page=2#top"), Verifiers.TOKEN, null);

        try (DPoPValidator validator = Verifiers.resourceServer(signer).build()) {
            DPoPResult result = validator.validate(DPoPRequest.builder().method("GET")
                    .targetUri("https://api.example.com/orders?page=2")
                    .dpopHeaders(List.of(proof)).authorizationHeaders(List.of("DPoP " + Verifiers.TOKEN)).build());

            assertThat(result.binding().orElseThrow().thumbprint()).isEqualTo(signer.thumbprint());
            assertThat(result.binding().orElseThrow().algorithm()).isEqualTo(algorithm.name());
        }
    }

    @ParameterizedTest
    @EnumSource(DPoPAlgorithm.class)
    void signsProofsNimbusVerifiesForEveryAlgorithm(DPoPAlgorithm algorithm) throws Exception {
        DPoPProofSigner signer = DPoPProofSigner.generate(algorithm);

        SignedJWT jwt = Verifiers.verifiedByNimbus(signer.proof("POST", ORDERS, Verifiers.TOKEN, "n-1"));

        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("dpop+jwt"));
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(algorithm.name());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("htm")).isEqualTo("POST");
        assertThat(claims.getStringClaim("htu")).isEqualTo("https://api.example.com/orders");
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
    }

    @ParameterizedTest
    @EnumSource(DPoPAlgorithm.class)
    void thumbprintIsTheRfc7638ThumbprintOfThePublicJwk(DPoPAlgorithm algorithm) throws Exception {
        DPoPProofSigner signer = DPoPProofSigner.generate(algorithm);

        JWK jwk = JWK.parse(signer.publicJwk());

        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.computeThumbprint().toString()).isEqualTo(signer.thumbprint());
        assertThat(SignedJWT.parse(signer.proof("GET", ORDERS)).getHeader().getJWK().computeThumbprint().toString())
                .isEqualTo(signer.thumbprint());
    }

    @ParameterizedTest
    @EnumSource(value = DPoPAlgorithm.class, names = {"ES256", "ES384", "ES512"})
    void ecdsaSignaturesAreFixedSizeRAndS(DPoPAlgorithm algorithm) {
        String proof = DPoPProofSigner.generate(algorithm).proof("GET", ORDERS);

        byte[] signature = Base64.getUrlDecoder().decode(proof.substring(proof.lastIndexOf('.') + 1));

        int expected = algorithm == DPoPAlgorithm.ES256 ? 64 : algorithm == DPoPAlgorithm.ES384 ? 96 : 132;
        assertThat(signature).hasSize(expected);
    }

    @Test
    void defaultsToEs256() {
        assertThat(DPoPProofSigner.generate().algorithm()).isEqualTo(DPoPAlgorithm.ES256);
    }

    @Test
    void everyJtiIsFreshAndCarriesAtLeast128Bits() throws Exception {
        DPoPProofSigner signer = DPoPProofSigner.generate();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            String jti = SignedJWT.parse(signer.proof("GET", ORDERS)).getJWTClaimsSet().getJWTID();
            assertThat(Base64.getUrlDecoder().decode(jti).length).isGreaterThanOrEqualTo(16);
            seen.add(jti);
        }

        assertThat(seen).hasSize(200);
    }

    @Test
    void iatComesFromTheInjectedClock() throws Exception {
        Instant pinned = Instant.parse("2026-01-02T03:04:05Z");
        DPoPProofSigner signer = DPoPProofSigner.generate().withClock(Clock.fixed(pinned, ZoneOffset.UTC));

        assertThat(SignedJWT.parse(signer.proof("GET", ORDERS)).getJWTClaimsSet().getIssueTime().toInstant())
                .isEqualTo(pinned);
    }

    @Test
    void htuLeavesOutQueryAndFragment() throws Exception {
        String proof = DPoPProofSigner.generate().proof("GET", URI.create("https://api.example.com/orders/7?x=1&y=2#f"));

        assertThat(SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("htu")).isEqualTo("https://api.example.com/orders/7");
    }

    @Test
    void htuLowerCasesSchemeAndHostAndDropsTheDefaultPort() throws Exception {
        String proof = DPoPProofSigner.generate().proof("GET", URI.create("HTTPS://API.Example.COM:443"));

        assertThat(SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("htu")).isEqualTo("https://api.example.com/");
    }

    @Test
    void athIsTheRfc9449ExampleHashOfTheToken() throws Exception {
        // RFC 9449 §7.1: the access token and the ath of its example proof
        String proof = DPoPProofSigner.generate().proof("GET", URI.create("https://resource.example.org/protectedresource"),
                Verifiers.TOKEN, null);

        assertThat(SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("ath"))
                .isEqualTo("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    }

    @Test
    void proofWithoutTokenOrNonceHasNeitherClaim() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(DPoPProofSigner.generate().proof("POST", ORDERS)).getJWTClaimsSet();

        assertThat(claims.getClaims()).containsOnlyKeys("jti", "htm", "htu", "iat");
    }

    @Test
    void headerCarriesOnlyTypAlgAndPublicJwk() throws Exception {
        SignedJWT jwt = SignedJWT.parse(DPoPProofSigner.generate().proof("GET", ORDERS));

        assertThat(jwt.getHeader().toJSONObject()).containsOnlyKeys("typ", "alg", "jwk");
        assertThat(jwt.getHeader().getJWK().toJSONObject()).containsOnlyKeys("kty", "crv", "x", "y");
    }

    @Test
    void infersTheAlgorithmFromAKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));

        assertThat(DPoPProofSigner.of(generator.generateKeyPair()).algorithm()).isEqualTo(DPoPAlgorithm.ES384);
        assertThat(DPoPProofSigner.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()).algorithm())
                .isEqualTo(DPoPAlgorithm.EdDSA);
    }

    @Test
    void rejectsAnAlgorithmThatDoesNotFitTheKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = generator.generateKeyPair();

        assertThatThrownBy(() -> DPoPProofSigner.of(p256, DPoPAlgorithm.ES384)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DPoPProofSigner.of(p256, DPoPAlgorithm.RS256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsRsaKeysShorterThan2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair small = generator.generateKeyPair();

        assertThatThrownBy(() -> DPoPProofSigner.of(small)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAKeyPairWhoseHalvesDoNotMatch() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair mixed = new KeyPair(generator.generateKeyPair().getPublic(), generator.generateKeyPair().getPrivate());
        String pkcs8 = Base64.getEncoder().encodeToString(mixed.getPrivate().getEncoded());

        assertThatThrownBy(() -> DPoPProofSigner.of(mixed)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(pkcs8);
                        assertThat(String.valueOf(t)).doesNotContain(mixed.getPrivate().toString());
                    }
                });
    }

    @Test
    void rejectsANonHttpTargetAndAMalformedMethodOrNonce() {
        DPoPProofSigner signer = DPoPProofSigner.generate();

        assertThatThrownBy(() -> signer.proof("GET", URI.create("ftp://example.com/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.proof("GE T", ORDERS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.proof("GET", ORDERS, null, "bad\"nonce")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DPoPAlgorithm.class)
    void toStringNamesNeitherThePrivateKeyNorAProof(DPoPAlgorithm algorithm) throws Exception {
        KeyPair keyPair = algorithm.generator().generateKeyPair();
        DPoPProofSigner signer = DPoPProofSigner.of(keyPair, algorithm);
        String pkcs8 = Base64.getEncoder().encodeToString(keyPair.getPrivate().getEncoded());
        String pkcs8Url = Base64.getUrlEncoder().withoutPadding().encodeToString(keyPair.getPrivate().getEncoded());

        assertThat(signer.toString()).contains(signer.thumbprint())
                .doesNotContain(pkcs8).doesNotContain(pkcs8Url).doesNotContain(keyPair.getPrivate().toString());
        assertThat(String.valueOf(signer.publicJwk())).doesNotContain("\"d\"").doesNotContain("d=");
    }

    @Test
    void isNotSerializable() {
        assertThat(DPoPProofSigner.generate()).isNotInstanceOf(Serializable.class);
    }
}
