package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dpopj.core.jose.Base64Url;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Attacker-controlled bytes, refused early and cheaply with the documented error: strict JSON
 * (RFC 8259, I-JSON RFC 7493), bounded keys, bounded headers, and stores that fail in odd ways.
 */
class HostileInputTest extends ValidatorFixture {

    private final DPoPValidator validator = validator();

    private void assertProofRejected(String proof, DPoPError error, Check check) {
        assertRejected(() -> validator.validate(request(proof)), error, check);
    }

    /** Signs the default proof's claims after {@code edit} replaced {@code from} with {@code to} in their JSON text. */
    private String withClaimsText(String from, String to) {
        ProofFixture.Proof proof = proofs.es256();
        String claims = proof.claimsJson();
        assertThat(claims).contains(from);
        return proof.signRaw(proof.headerJson(), claims.replace(from, to));
    }

    private String withHeaderText(String from, String to) {
        ProofFixture.Proof proof = proofs.es256();
        String header = proof.headerJson();
        assertThat(header).contains(from);
        return proof.signRaw(header.replace(from, to), proof.claimsJson());
    }

    @Test
    void acceptsHandSignedProofOfTheSameJson() {
        ProofFixture.Proof proof = proofs.es256();

        assertThatCode(() -> validator.validate(request(proof.signRaw(proof.headerJson(), proof.claimsJson()))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"htm\" \"GET\"", "\"htm\"::\"GET\"", "\"htm\":\"GET\",,"})
    void rejectsClaimsWithMissingOrDoubledSeparators(String broken) {
        assertProofRejected(withClaimsText("\"htm\":\"GET\",", broken.endsWith(",,") ? broken : broken + ","),
                DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @Test
    void rejectsClaimsWithTrailingComma() {
        ProofFixture.Proof proof = proofs.es256();
        String claims = proof.claimsJson();
        String trailing = claims.substring(0, claims.length() - 1) + ",}";

        assertProofRejected(proof.signRaw(proof.headerJson(), trailing), DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @Test
    void rejectsIatWithLeadingZero() {
        long iat = NOW.getEpochSecond();

        assertProofRejected(withClaimsText("\"iat\":" + iat, "\"iat\":0" + iat), DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @Test
    void rejectsClaimsWithDuplicateMembers() {
        assertProofRejected(withClaimsText("\"htm\":\"GET\",", "\"htm\":\"GET\",\"htm\":\"POST\","),
                DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @Test
    void rejectsHeaderWithDuplicateJwkMembers() {
        assertProofRejected(withHeaderText("\"kty\":\"EC\"", "\"kty\":\"EC\",\"kty\":\"RSA\""),
                DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "1E+999999999", "-1e999999999", "1e2147483648"})
    void rejectsGiantIatAsAMalformedMember(String giant) {
        long iat = NOW.getEpochSecond();
        String proof = withClaimsText("\"iat\":" + iat, "\"iat\":" + giant);

        assertThat(List.of(Check.REQUIRED_MEMBERS, Check.WELL_FORMED_JWS)).contains(rejectedCheck(proof));
    }

    @Test
    void rejectsIatWrittenWithAnExponent() {
        long iat = NOW.getEpochSecond();

        assertProofRejected(withClaimsText("\"iat\":" + iat, "\"iat\":" + iat + "e0"), DPoPError.INVALID_DPOP_PROOF,
                Check.REQUIRED_MEMBERS);
    }

    @Test
    void rejectsNonCanonicalBase64UrlSignatureThatDecodesToTheSameBytes() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String[] parts = proofs.es256().sign().split("\\.");
        // 64 bytes take 86 characters, the last of which carries 4 unused bits: set one of them
        int last = alphabet.indexOf(parts[2].charAt(85));
        String proof = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 85) + alphabet.charAt(last | 1);

        assertProofRejected(proof, DPoPError.INVALID_DPOP_PROOF, Check.WELL_FORMED_JWS);
    }

    @Test
    void rejectsRsaJwkWithGiantPublicExponentBeforeAnyArithmetic() {
        Map<String, Object> jwk = rsaJwk();
        jwk.put("e", Base64Url.encode(BigInteger.ONE.shiftLeft(4095).add(BigInteger.ONE).toByteArray()));

        assertProofRejected(proofs.of("RS256").jwk(jwk).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 65536, 4294967297L})
    void rejectsRsaJwkWithExponentOutOfBounds(long exponent) {
        Map<String, Object> jwk = rsaJwk();
        jwk.put("e", Base64Url.encode(unsignedBytes(BigInteger.valueOf(exponent))));

        assertProofRejected(proofs.of("RS256").jwk(jwk).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
    }

    @Test
    void rejectsRsaJwkWithGiantModulusBeforeDecodingIt() {
        Map<String, Object> jwk = rsaJwk();
        jwk.put("n", "r".repeat(7_000));
        DPoPValidator roomy = builder().maxProofSize(65_536).build();

        assertRejected(() -> roomy.validate(request(proofs.of("RS256").jwk(jwk).sign())), DPoPError.INVALID_DPOP_PROOF,
                Check.PUBLIC_JWK);
    }

    @Test
    void rejectsEcJwkWhosePointIsNotOnTheCurve() {
        Map<String, Object> jwk = new LinkedHashMap<>(proofs.key("ES256", "default").toParams(OutputControlLevel.PUBLIC_ONLY));
        jwk.put("y", Base64Url.encode(unsignedBytes32(BigInteger.ONE)));

        assertProofRejected(proofs.es256().jwk(jwk).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
    }

    @Test
    void rejectsAuthorizationHeaderOverTheCapBeforeHashingIt() {
        DPoPRequest huge = requestBuilder().dpopHeaders(List.of(proofs.es256().sign()))
                .authorizationHeaders(List.of("DPoP " + "a".repeat(1_000_000))).build();

        assertRejected(() -> validator.validate(huge), DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @Test
    void authorizationCapIsConfigurable() {
        DPoPValidator small = builder().maxAuthorizationSize(16).build();

        assertRejected(() -> small.validate(request(proofs.es256().sign())), DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @Test
    void replayStoreThrowingAnErrorIsA503() {
        DPoPValidator failing = builder().replayStore(storeAnswering((scope, key, expiresAt) -> {
            throw new NoClassDefFoundError("com/example/Missing");
        })).build();

        assertRejected(() -> failing.validate(request(proofs.es256().sign())), DPoPError.TEMPORARILY_UNAVAILABLE,
                Check.JTI_REPLAY);
    }

    @Test
    void replayStoreThrowingAnAssertionErrorIsA503WithRetryAfter() {
        DPoPValidator failing = builder().retryAfter(Duration.ofSeconds(7)).replayStore(storeAnswering((scope, key, expiresAt) -> {
            throw new AssertionError("broken");
        })).build();

        try {
            failing.validate(request(proofs.es256().sign()));
        } catch (DPoPException e) {
            assertThat(failing.challenge(e).header("Retry-After")).contains("7");
            return;
        }
        throw new AssertionError("accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"})
    void rejectsEd25519KeyOfSmallOrderOrNonCanonicalEncoding(String littleEndianHex) {
        byte[] x = java.util.HexFormat.of().parseHex(littleEndianHex);
        Map<String, Object> jwk = new LinkedHashMap<>(Map.of("kty", "OKP", "crv", "Ed25519", "x", Base64Url.encode(x)));

        assertProofRejected(proofs.of("EdDSA").jwk(jwk).sign(), DPoPError.INVALID_DPOP_PROOF, Check.PUBLIC_JWK);
    }

    @Test
    void tokenEndpointRefusesAProofNobodySignedWithTheEd25519IdentityKey() {
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}";
        String claims = "{\"jti\":\"forged-1\",\"htm\":\"POST\",\"htu\":\"https://server.example.com/token\",\"iat\":"
                + NOW.getEpochSecond() + "}";
        byte[] signature = new byte[64];
        signature[0] = 1;
        String proof = Base64Url.encode(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + Base64Url.encode(signature);
        DPoPRequest tokenRequest = DPoPRequest.builder().method("POST").targetUri("https://server.example.com/token")
                .dpopHeaders(List.of(proof)).build();

        assertRejected(() -> validator.validateTokenRequest(tokenRequest, "client-1"), DPoPError.INVALID_DPOP_PROOF,
                Check.PUBLIC_JWK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "tink", "auto"})
    void everyEd25519VerifierIsSparedTheProofNobodySignedWithTheIdentityKey(String cryptoProvider) {
        DPoPValidator chosen = builder().cryptoProvider(cryptoProvider).build();
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}";
        String claims = "{\"jti\":\"forged-2\",\"htm\":\"POST\",\"htu\":\"https://server.example.com/token\",\"iat\":"
                + NOW.getEpochSecond() + "}";
        byte[] signature = new byte[64];
        signature[0] = 1;
        String proof = Base64Url.encode(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + Base64Url.encode(signature);
        DPoPRequest tokenRequest = DPoPRequest.builder().method("POST").targetUri("https://server.example.com/token")
                .dpopHeaders(List.of(proof)).build();

        assertRejected(() -> chosen.validateTokenRequest(tokenRequest, "client-1"), DPoPError.INVALID_DPOP_PROOF,
                Check.PUBLIC_JWK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "tink"})
    void everyEd25519VerifierAcceptsAGenuineProofAndRefusesItsTamperedSignature(String cryptoProvider) {
        tokens.bind(ProofFixture.TOKEN, proofs.of("EdDSA").thumbprint());
        DPoPValidator chosen = builder().cryptoProvider(cryptoProvider).build();
        String genuine = proofs.of("EdDSA").sign();
        char last = genuine.charAt(genuine.length() - 2);
        String tampered = genuine.substring(0, genuine.length() - 2) + (last == 'A' ? 'B' : 'A')
                + genuine.charAt(genuine.length() - 1);

        assertThatCode(() -> chosen.validate(request(genuine))).doesNotThrowAnyException();
        assertRejected(() -> chosen.validate(request(tampered)), DPoPError.INVALID_DPOP_PROOF, Check.SIGNATURE);
    }

    private Map<String, Object> rsaJwk() {
        return new LinkedHashMap<>(proofs.key("RS256", "default").toParams(OutputControlLevel.PUBLIC_ONLY));
    }

    private Check rejectedCheck(String proof) {
        try {
            validator.validate(request(proof));
        } catch (DPoPException e) {
            assertThat(e.error()).isEqualTo(DPoPError.INVALID_DPOP_PROOF);
            return e.failedCheck().orElseThrow();
        }
        throw new AssertionError("accepted");
    }

    private static byte[] unsignedBytes(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] unsignedBytes32(BigInteger value) {
        byte[] out = new byte[32];
        byte[] bytes = unsignedBytes(value);
        System.arraycopy(bytes, 0, out, 32 - bytes.length, bytes.length);
        return out;
    }
}
