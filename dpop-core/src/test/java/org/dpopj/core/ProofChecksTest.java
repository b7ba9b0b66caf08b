package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.Sha256;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One rule per test for each proof check of RFC 9449 §4.3, in the validator's order. */
class ProofChecksTest extends ValidatorFixture {

    private final DPoPValidator validator = validator();

    private void assertProofRejected(String proof, DPoPError error, Check check) {
        ValidatorFixture.assertRejected(() -> validator.validate(request(proof)), error, check);
    }

    private void assertAccepted(DPoPRequest request) {
        assertThatCode(() -> validator.validate(request)).doesNotThrowAnyException();
    }

    @Test
    void acceptsWellFormedProof() throws DPoPException {
        DPoPResult result = validator.validate(request(proofs.es256().sign()));

        assertThat(result.binding()).map(DPoPBinding::thumbprint).contains(proofs.es256().thumbprint());
        assertThat(result.subject()).contains("alice");
    }

    @Nested
    class SingleProof {
        @Test
        void rejectsDPoPTokenWithoutProofAsInvalidRequest() {
            assertProofRejected(null, DPoPError.INVALID_REQUEST, Check.SINGLE_PROOF);
        }

        @Test
        void rejectsTwoDPoPFieldsAsInvalidRequest() {
            DPoPRequest twoFields = requestBuilder().authorizationHeaders(List.of("DPoP " + ProofFixture.TOKEN))
                    .dpopHeaders(List.of(proofs.es256().sign(), proofs.es256().sign())).build();

            ValidatorFixture.assertRejected(() -> validator.validate(twoFields), DPoPError.INVALID_REQUEST, Check.SINGLE_PROOF);
        }

        @Test
        void rejectsCommaJoinedProofsAsInvalidRequest() {
            assertProofRejected(proofs.es256().sign() + ", " + proofs.es256().sign(), DPoPError.INVALID_REQUEST, Check.SINGLE_PROOF);
        }

        @Test
        void rejectsProofLargerThanSizeCap() {
            String proof = proofs.es256().claim("padding", "x".repeat(9000)).sign();

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.SINGLE_PROOF);
        }

        @Test
        void rejectsEmptyProof() {
            assertProofRejected("", DPoPError.INVALID_DPOP_PROOF, Check.SINGLE_PROOF);
        }
    }

    @Nested
    class WellFormedJws {
        @ParameterizedTest
        @ValueSource(strings = {"garbage", "a.b", "a.b.c.d.e", "a..c", ".b.c", "a.b.", "a.b.c d", "a.b.c=", "a+b.c.d"})
        void rejectsStringsThatAreNotCompactJws(String proof) {
            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
        }

        @Test
        void rejectsJwe() {
            String jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d";

            assertProofRejected(jwe, DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
        }

        @Test
        void rejectsPayloadThatIsNotJson() {
            String[] parts = proofs.es256().sign().split("\\.");
            String proof = parts[0] + "." + Base64Url.encode("not json".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
        }

        @Test
        void rejectsHeaderWithDuplicateMembers() {
            String[] parts = proofs.es256().sign().split("\\.");
            String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            String duplicated = "{\"alg\":\"none\"," + header.substring(1);
            String proof = Base64Url.encode(duplicated.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
        }
    }

    @Nested
    class RequiredMembers {
        @ParameterizedTest
        @ValueSource(strings = {"typ", "alg", "jwk"})
        void rejectsProofWithoutHeader(String name) {
            assertProofRejected(proofs.es256().withoutHeader(name).sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"jti", "htm", "htu", "iat", "ath"})
        void rejectsProofWithoutClaim(String claim) {
            assertProofRejected(proofs.es256().without(claim).sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsIatThatIsAString() {
            assertProofRejected(proofs.es256().claim("iat", String.valueOf(NOW.getEpochSecond())).sign(),
                    DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsHtmThatIsNotAString() {
            assertProofRejected(proofs.es256().claim("htm", List.of("GET")).sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsJwkThatIsNotAnObject() {
            assertProofRejected(proofs.es256().header("jwk", "key").sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsEmptyJti() {
            assertProofRejected(proofs.es256().jti("").sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsJtiLongerThanCap() {
            assertProofRejected(proofs.es256().jti("j".repeat(257)).sign(), DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsFractionalIat() {
            assertProofRejected(proofs.es256().claim("iat", NOW.getEpochSecond() + 0.5).sign(),
                    DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }

        @Test
        void rejectsIatInMilliseconds() {
            assertProofRejected(proofs.es256().claim("iat", NOW.toEpochMilli()).sign(),
                    DPoPError.INVALID_DPOP_PROOF, Check.REQUIRED_MEMBERS);
        }
    }

    @Nested
    class Typ {
        @ParameterizedTest
        @ValueSource(strings = {"JWT", "at+jwt", "dpop", "jwt+dpop"})
        void rejectsOtherTyp(String typ) {
            assertProofRejected(proofs.es256().header("typ", typ).sign(), DPoPError.INVALID_DPOP_PROOF, Check.TYP);
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/dpop+jwt", "DPoP+JWT"})
        void acceptsMediaTypeEquivalents(String typ) {
            assertAccepted(request(proofs.es256().header("typ", typ).sign()));
        }
    }

    @Nested
    class Alg {
        @Test
        void rejectsAlgNone() {
            String[] parts = proofs.es256().sign().split("\\.");
            Map<String, Object> header = new HashMap<>(Map.of("typ", "dpop+jwt", "alg", "none",
                    "jwk", proofs.es256().key().toParams(OutputControlLevel.PUBLIC_ONLY)));
            String proof = encodeJson(header) + "." + parts[1] + "." + parts[2];

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @Test
        void rejectsHmacSignedWithThePublicKeyBytes() throws Exception {
            PublicJsonWebKey key = proofs.es256().key();
            Map<String, Object> header = Map.of("typ", "dpop+jwt", "alg", "HS256",
                    "jwk", key.toParams(OutputControlLevel.PUBLIC_ONLY));
            String payload = proofs.es256().sign().split("\\.")[1];
            String input = encodeJson(header) + "." + payload;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getPublicKey().getEncoded(), "HmacSHA256"));
            String proof = input + "." + Base64Url.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @Test
        void rejectsAlgOutsideConfiguredAllowList() {
            DPoPValidator onlyEdDsa = builder().algorithms(List.of("EdDSA")).build();

            ValidatorFixture.assertRejected(() -> onlyEdDsa.validate(request(proofs.es256().sign())),
                    DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @Test
        void rejectsEs256HeaderWithP384Key() {
            String proof = proofs.of("ES384").header("alg", "ES256").sign();

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @Test
        void rejectsRs256HeaderWithEcKey() {
            assertProofRejected(proofs.es256().header("alg", "RS256").sign(), DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @Test
        void rejectsUnknownCriticalHeader() {
            String proof = proofs.es256().header("crit", List.of("exp-ext")).header("exp-ext", true).sign();

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.ALG);
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "HS256", "HS384", "HS512", "ES256K", "RSA-OAEP"})
        void cannotEnableSymmetricOrUnknownAlgorithms(String alg) {
            assertThatThrownBy(() -> DPoPValidator.builder().algorithms(List.of(alg)))
                    .isInstanceOfSatisfying(DPoPConfigurationException.class,
                            e -> assertThat(e.key()).isEqualTo(DPoPSettings.ALGORITHMS));
        }
    }

    @Nested
    class PublicJwk {
        @Test
        void rejectsJwkContainingPrivateKey() {
            Map<String, Object> withPrivate = proofs.es256().key().toParams(OutputControlLevel.INCLUDE_PRIVATE);

            assertProofRejected(proofs.es256().jwk(withPrivate).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
        }

        @ParameterizedTest
        @ValueSource(strings = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
        void rejectsJwkWithPrivateMember(String member) {
            Map<String, Object> jwk = new HashMap<>(proofs.es256().key().toParams(OutputControlLevel.PUBLIC_ONLY));
            jwk.put(member, "AAAA");

            assertProofRejected(proofs.es256().jwk(jwk).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
        }

        @Test
        void rejectsRsaKeyBelow2048Bits() throws Exception {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            java.security.KeyPair pair = generator.generateKeyPair();
            PublicJsonWebKey small = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            small.setPrivateKey(pair.getPrivate());

            assertProofRejected(proofs.of("RS256").jwk(small.toParams(OutputControlLevel.PUBLIC_ONLY)).signedBy(small).sign(),
                    DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
        }

        @Test
        void rejectsEcPointNotOnCurve() {
            Map<String, Object> jwk = new HashMap<>(proofs.es256().key().toParams(OutputControlLevel.PUBLIC_ONLY));
            jwk.put("y", Base64Url.encode(new byte[32]));

            String proof = proofs.es256().jwk(jwk).sign();

            assertThatThrownBy(() -> validator.validate(request(proof)))
                    .isInstanceOfSatisfying(DPoPException.class, e -> {
                        assertThat(e.error()).isEqualTo(DPoPError.INVALID_DPOP_PROOF);
                        assertThat(e.failedCheck().orElseThrow()).isIn(Check.PUBLIC_JWK, Check.SIGNATURE);
                    });
        }
    }

    @Nested
    class Signature {
        @Test
        void rejectsTamperedPayload() {
            String[] parts = proofs.es256().sign().split("\\.");
            String other = proofs.es256().htm("POST").sign().split("\\.")[1];

            assertProofRejected(parts[0] + "." + other + "." + parts[2], DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
        }

        @Test
        void rejectsProofSignedByAnotherKeyThanItsJwk() {
            String proof = proofs.es256().signedBy(proofs.key("ES256", "thief")).sign();

            assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
        }

        @Test
        void rejectsAllZeroEcdsaSignature() {
            String[] parts = proofs.es256().sign().split("\\.");

            assertProofRejected(parts[0] + "." + parts[1] + "." + Base64Url.encode(new byte[64]),
                    DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
        }

        @Test
        void rejectsDerEncodedEcdsaSignature() {
            String[] parts = proofs.es256().sign().split("\\.");
            byte[] concatenated = Base64.getUrlDecoder().decode(parts[2]);

            assertProofRejected(parts[0] + "." + parts[1] + "." + Base64Url.encode(toDer(concatenated)),
                    DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
        }

        @Test
        void acceptsHighSEcdsaSignature() {
            String[] parts = proofs.es256().sign().split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            BigInteger order = ((ECPublicKey) proofs.es256().key().getPublicKey()).getParams().getOrder();
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
            byte[] flipped = unsigned(order.subtract(s), 32);
            System.arraycopy(flipped, 0, signature, 32, 32);

            assertAccepted(request(parts[0] + "." + parts[1] + "." + Base64Url.encode(signature)));
        }
    }

    @Nested
    class Htm {
        @Test
        void rejectsOtherMethod() {
            assertProofRejected(proofs.es256().htm("POST").sign(), DPoPError.INVALID_DPOP_PROOF, Check.HTM);
        }

        @Test
        void rejectsLowerCaseMethod() {
            assertProofRejected(proofs.es256().htm("get").sign(), DPoPError.INVALID_DPOP_PROOF, Check.HTM);
        }
    }

    @Nested
    class Htu {
        @ParameterizedTest
        @ValueSource(strings = {
                "https://api.example.com/orders?page=2",
                "https://api.example.com/orders#top",
                "https://api.example.com:443/orders",
                "HTTPS://API.Example.COM/orders",
                "https://api.example.com/%6Frders",
                "https://api.example.com/x/../orders"})
        void acceptsEquivalentHtu(String htu) {
            assertAccepted(request(proofs.es256().htu(htu).sign()));
        }

        @Test
        void acceptsRequestWithQueryString() {
            assertAccepted(request("GET", ProofFixture.HTU + "?page=2&size=10", proofs.es256().sign()));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "https://api.example.com/orders/",
                "https://api.example.com/Orders",
                "http://api.example.com/orders",
                "https://api.example.com:8443/orders",
                "https://evil.example.com/orders",
                "https://api.example.com/orders/42"})
        void rejectsOtherTargetUri(String htu) {
            assertProofRejected(proofs.es256().htu(htu).sign(), DPoPError.INVALID_DPOP_PROOF, Check.HTU);
        }

        @Test
        void rejectsRequestWhoseUriIsNotValid() {
            ValidatorFixture.assertRejected(() -> validator.validate(request("GET", "https://api.example.com/or|ders", proofs.es256().sign())),
                    DPoPError.INVALID_DPOP_PROOF, Check.HTU);
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://user:pass@api.example.com/orders", "/orders", "ftp://api.example.com/orders", "not a uri"})
        void rejectsHtuThatIsNotAnAbsoluteHttpUriWithoutUserinfo(String htu) {
            assertProofRejected(proofs.es256().htu(htu).sign(), DPoPError.INVALID_DPOP_PROOF, Check.HTU);
        }
    }

    @Nested
    class Iat {
        @Test
        void rejectsProofOlderThanMaxAge() {
            assertProofRejected(proofs.es256().iat(NOW.minusSeconds(61)).sign(), DPoPError.INVALID_DPOP_PROOF, Check.IAT);
        }

        @Test
        void acceptsProofExactlyMaxAgeOld() {
            assertAccepted(request(proofs.es256().iat(NOW.minusSeconds(60)).sign()));
        }

        @Test
        void rejectsProofFurtherAheadThanClockSkew() {
            assertProofRejected(proofs.es256().iat(NOW.plusSeconds(11)).sign(), DPoPError.INVALID_DPOP_PROOF, Check.IAT);
        }

        @Test
        void acceptsProofAheadWithinClockSkew() {
            assertAccepted(request(proofs.es256().iat(NOW.plusSeconds(10)).sign()));
        }

        @Test
        void honoursConfiguredWindow() {
            DPoPValidator strict = builder().proofMaxAge(Duration.ofSeconds(5)).build();

            ValidatorFixture.assertRejected(() -> strict.validate(request(proofs.es256().iat(NOW.minusSeconds(6)).sign())),
                    DPoPError.INVALID_DPOP_PROOF, Check.IAT);
        }
    }

    @Nested
    class Ath {
        @Test
        void rejectsAthOfAnotherToken() {
            assertProofRejected(proofs.es256().athOf("another-token").sign(), DPoPError.INVALID_DPOP_PROOF, Check.ATH);
        }

        @Test
        void rejectsAthWithPadding() {
            assertProofRejected(proofs.es256().claim("ath", ProofFixture.ath(ProofFixture.TOKEN) + "=").sign(),
                    DPoPError.INVALID_DPOP_PROOF, Check.ATH);
        }
    }

    static String encodeJson(Map<String, Object> json) {
        return Base64Url.encode(org.jose4j.json.JsonUtil.toJson(json).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] toDer(byte[] concatenated) {
        int half = concatenated.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(concatenated, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(concatenated, half, concatenated.length)).toByteArray();
        byte[] der = new byte[6 + r.length + s.length];
        der[0] = 0x30;
        der[1] = (byte) (4 + r.length + s.length);
        der[2] = 0x02;
        der[3] = (byte) r.length;
        System.arraycopy(r, 0, der, 4, r.length);
        der[4 + r.length] = 0x02;
        der[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, der, 6 + r.length, s.length);
        return der;
    }

    static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }
}
