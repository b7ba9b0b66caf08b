package org.dpopj.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The seed corpus, made at the start of each fuzz run from the keys of {@link FuzzKeys}: valid proofs
 * for every algorithm (minted by jose4j and, independently, by the JCA), and hostile ones that are wrong
 * in exactly one way (alg none, HMAC keyed with the public key, private or oversized keys, a giant
 * exponent, points off the curve, all-zero ECDSA signatures as in CVE-2022-21449, DER signatures,
 * non-canonical base64url, duplicated members, overlong UTF-8, lone surrogates, a byte order mark, deep
 * nesting, {@code 1e999999999}). {@link #write} puts a target's seeds where Jazzer looks for them, the
 * {@code <TestClass>Inputs/<method>/generated} resource directory under {@code target/test-classes}, so
 * that no generated seed is committed; only reproducers of findings are, beside it in
 * {@code src/test/resources}.
 */
final class SeedCorpus {

    /** Validator configurations of {@link DPoPValidatorFuzzTest}, chosen by the input's last byte. */
    static final int DPOP_ONLY = 0;
    static final int DPOP_OR_BEARER = 1;
    static final int NONCES_REQUIRED = 2;
    /** {@code validateTokenRequest} (RFC 9449 §5) of the DPoP-only validator. */
    static final int TOKEN_REQUEST = 3;

    /** One input file. */
    record Seed(String name, byte[] bytes) {
    }

    /** One request for the validator target: the DPoP and Authorization values and the configuration. */
    record Request(String name, String dpop, String authorization, int config) {
    }

    private final FuzzKeys keys = FuzzKeys.get();
    private final Random random = new Random(9449);
    private final String nonce = FuzzKeys.nonces().issue(FuzzKeys.NOW);
    private final Map<String, String> jwks = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private int jtiCounter;

    SeedCorpus() {
        addJwks();
        addValidProofs();
        addAlgorithmConfusion();
        addHostileKeys();
        addHostileSignatures();
        addHostileEncodings();
        addClaimChecks();
        addCredentials();
    }

    // ---- the targets' corpora

    /** @return for the JSON target: every decoded header and payload, and texts at the edges of RFC 8259 and I-JSON */
    List<Seed> jsonTexts() {
        List<Seed> seeds = new ArrayList<>();
        for (Request request : requests) {
            String[] parts = request.dpop().trim().split("\\.", -1);
            for (int i = 0; i < Math.min(parts.length, 2); i++) {
                byte[] decoded = lenientBase64(parts[i]);
                if (decoded != null) {
                    seeds.add(new Seed(request.name() + (i == 0 ? "-header" : "-claims"), decoded));
                }
            }
        }
        jsonOddities().forEach((name, bytes) -> seeds.add(new Seed(name, bytes)));
        return distinct(seeds);
    }

    /** @return for the compact-JWS target: every DPoP value */
    List<Seed> compactProofs() {
        List<Seed> seeds = new ArrayList<>();
        for (Request request : requests) {
            seeds.add(new Seed(request.name(), request.dpop().getBytes(StandardCharsets.ISO_8859_1)));
        }
        return distinct(seeds);
    }

    /** @return for the JWK target: every JWK, and base64url at the edges of RFC 4648 */
    List<Seed> jwkInputs() {
        List<Seed> seeds = new ArrayList<>();
        jwks.forEach((name, json) -> seeds.add(new Seed(name, utf8(json))));
        String[] base64 = {"", "A", "AA", "AB", "AAA", "AAB", "AAAA", "AA==", "A===", "+/+/", "-_-_", "QUJD",
                "QUJDRA", "QUJDRB", "QUJDRE", "QUJDREU", "QUJDREV", "QU JD", "QUJD\n", "\u00c0\u00c1", "_____w"};
        for (int i = 0; i < base64.length; i++) {
            seeds.add(new Seed("base64url-" + i, base64[i].getBytes(StandardCharsets.ISO_8859_1)));
        }
        return distinct(seeds);
    }

    /** @return every request of the validator target */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** @return for the validator target: each request, encoded for {@link DPoPValidatorFuzzTest} */
    List<Seed> validatorInputs() {
        List<Seed> seeds = new ArrayList<>();
        for (Request request : requests) {
            seeds.add(new Seed(request.name(), DPoPValidatorFuzzTest.encode(request.dpop(), request.authorization(),
                    request.config())));
        }
        return distinct(seeds);
    }

    /**
     * Writes {@code seeds} into the inputs directory Jazzer reads for {@code method} of {@code testClass},
     * under the class's own class-path root ({@code target/test-classes}); does nothing when the class
     * was loaded from a jar.
     */
    static void write(Class<?> testClass, String method, List<Seed> seeds) {
        Path root;
        try {
            root = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isDirectory(root)) {
            return;
        }
        Path dir = root.resolve(testClass.getPackageName().replace('.', '/'))
                .resolve(testClass.getSimpleName() + "Inputs").resolve(method).resolve("generated");
        try {
            Files.createDirectories(dir);
            for (Seed seed : seeds) {
                Files.write(dir.resolve(seed.name()), seed.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- keys

    private void addJwks() {
        for (String alg : List.of("ES256", "ES384", "ES512", "RS256", "EdDSA")) {
            jwks.put("jwk-" + FuzzKeys.KEY_OF_ALG.get(alg), keys.publicJwk(alg));
        }
        jwks.put("jwk-ec-private-d", keys.privateJwk("ES256"));
        jwks.put("jwk-rsa-private", keys.privateJwk("RS256"));
        jwks.put("jwk-ed25519-private-d", keys.privateJwk("EdDSA"));
        jwks.put("jwk-oct", "{\"kty\":\"oct\",\"k\":\"" + b64(bytes(32)) + "\"}");
        jwks.put("jwk-rsa-16384", rsa(oddNumber(16384), "AQAB"));
        jwks.put("jwk-rsa-8192-e-2^32-1", rsa(oddNumber(8192), "_____w"));
        jwks.put("jwk-rsa-giant-e", rsa(oddNumber(2048), b64(filled(64, 0xFF))));
        jwks.put("jwk-rsa-e-34-bits", rsa(oddNumber(2048), b64(BigInteger.ONE.shiftLeft(33).add(BigInteger.ONE).toByteArray())));
        jwks.put("jwk-rsa-e-even", rsa(oddNumber(2048), "AQAA"));
        jwks.put("jwk-rsa-e-1", rsa(oddNumber(2048), "AQ"));
        jwks.put("jwk-rsa-1024", rsa(oddNumber(1024), "AQAB"));
        jwks.put("jwk-rsa-n-even", rsa(oddNumber(2048).clearBit(0), "AQAB"));
        jwks.put("jwk-rsa-n-leading-zero", rsa(new BigInteger(1, concat(new byte[1], unsigned(oddNumber(2048)))), "AQAB"));
        BigInteger p = fieldPrime("ES256");
        jwks.put("jwk-ec-off-curve", ec("P-256", bytes(32), bytes(32)));
        jwks.put("jwk-ec-zero-point", ec("P-256", new byte[32], new byte[32]));
        jwks.put("jwk-ec-x-is-p", ec("P-256", fixed(p, 32), bytes(32)));
        jwks.put("jwk-ec-p384-sized-on-p256", ec("P-256", bytes(48), bytes(48)));
        jwks.put("jwk-ec-short-x", ec("P-256", bytes(31), bytes(32)));
        jwks.put("jwk-ec-p521-65-bytes", ec("P-521", bytes(65), bytes(65)));
        String es256 = keys.publicJwk("ES256");
        String x = es256.replaceFirst(".*\"x\":\"([^\"]*)\".*", "$1");
        jwks.put("jwk-ec-x-noncanonical", es256.replace(x, noncanonical(x)));
        jwks.put("jwk-ec-x-padded", es256.replaceFirst("\"x\":\"([^\"]*)\"", "\"x\":\"$1=\""));
        jwks.put("jwk-ec-duplicate-x", es256.replaceFirst("\\{", "{\"x\":\"AAAA\","));
        jwks.put("jwk-ec-crv-number", es256.replaceFirst("\"crv\":\"P-256\"", "\"crv\":256"));
        jwks.put("jwk-ec-kty-array", es256.replaceFirst("\"kty\":\"EC\"", "\"kty\":[\"EC\"]"));
        jwks.put("jwk-ec-with-kid-and-extras", es256.replaceFirst("\\{", "{\"kid\":\"k1\",\"use\":\"sig\",\"x5c\":[\"AAAA\"],"));
        byte[] identity = new byte[32];
        identity[0] = 1;
        jwks.put("jwk-ed25519-identity-point", okp("Ed25519", identity));
        jwks.put("jwk-ed25519-short", okp("Ed25519", bytes(31)));
        jwks.put("jwk-x25519", okp("X25519", bytes(32)));
    }

    private static String rsa(BigInteger n, String e) {
        return "{\"kty\":\"RSA\",\"n\":\"" + b64(unsigned(n)) + "\",\"e\":\"" + e + "\"}";
    }

    private static String ec(String crv, byte[] x, byte[] y) {
        return "{\"kty\":\"EC\",\"crv\":\"" + crv + "\",\"x\":\"" + b64(x) + "\",\"y\":\"" + b64(y) + "\"}";
    }

    private static String okp(String crv, byte[] x) {
        return "{\"kty\":\"OKP\",\"crv\":\"" + crv + "\",\"x\":\"" + b64(x) + "\"}";
    }

    // ---- proofs

    private void addValidProofs() {
        for (String alg : FuzzKeys.KEY_OF_ALG.keySet().stream().sorted().toList()) {
            request("valid-jose4j-" + alg, jose4j(alg));
            request("valid-jca-" + alg, signed(alg, header(alg), claims(alg)));
        }
        request("valid-typ-upper-case", signed("ES256", header("ES256").replace("dpop+jwt", "DPOP+JWT"), claims("ES256")));
        request("valid-typ-media-type", signed("ES256", header("ES256").replace("dpop+jwt", "application/dpop+jwt"),
                claims("ES256")));
        request("valid-htu-default-port", signed("ES256", header("ES256"),
                claims("ES256").replace(FuzzKeys.HTU, "https://api.example.com:443/orders")));
        request("valid-htu-upper-case-host", signed("ES256", header("ES256"),
                claims("ES256").replace(FuzzKeys.HTU, "HTTPS://API.EXAMPLE.COM/orders")));
        request("valid-htu-dot-segment", signed("ES256", header("ES256"),
                claims("ES256").replace(FuzzKeys.HTU, "https://api.example.com/a/../orders")));
        request("valid-htu-percent-encoded", signed("ES256", header("ES256"),
                claims("ES256").replace(FuzzKeys.HTU, "https://api.example.com/%6Frders")));
        request("valid-htu-with-query", signed("ES256", header("ES256"),
                claims("ES256").replace(FuzzKeys.HTU, FuzzKeys.HTU + "?page=2#top")));
        request("valid-jwk-with-kid-and-extras", signed("ES256", header("ES256", jwks.get("jwk-ec-with-kid-and-extras")),
                claims("ES256")));
        request("valid-whitespace-around", "  " + signed("ES256", header("ES256"), claims("ES256")) + " ");
        request("valid-nonce", signed("ES256", header("ES256"), withClaim(claims("ES256"), "\"nonce\":\"" + nonce + "\"")),
                "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
        request("valid-nonce-ignored-when-off", signed("ES256", header("ES256"),
                withClaim(claims("ES256"), "\"nonce\":\"" + nonce + "\"")));
    }

    private String jose4j(String alg) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setJwtId(nextJti());
            claims.setClaim("htm", FuzzKeys.METHOD);
            claims.setClaim("htu", FuzzKeys.HTU);
            claims.setIssuedAt(NumericDate.fromSeconds(FuzzKeys.NOW.getEpochSecond()));
            claims.setClaim("ath", FuzzKeys.ath(FuzzKeys.token(alg)));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setHeader("typ", "dpop+jwt");
            jws.setAlgorithmHeaderValue(alg);
            jws.setJwkHeader(keys.forAlg(alg));
            jws.setPayload(claims.toJson());
            jws.setKey(keys.forAlg(alg).getPrivateKey());
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void addAlgorithmConfusion() {
        String header = header("ES256");
        request("alg-none-unsigned", b64(header.replace("ES256", "none")) + "." + b64(claims("ES256")) + ".");
        request("alg-none-signed", b64(header.replace("ES256", "none")) + "." + b64(claims("ES256")) + ".AA");
        request("alg-none-upper-case", b64(header.replace("ES256", "NONE")) + "." + b64(claims("ES256")) + "."
                + b64(bytes(8)));
        String rsaHeader = header("RS256").replace("RS256", "HS256");
        request("alg-hs256-keyed-with-jwk-json", hmac(header.replace("ES256", "HS256"), claims("ES256"),
                utf8(keys.publicJwk("ES256"))));
        byte[] spki = keys.forAlg("RS256").getPublicKey().getEncoded();
        request("alg-hs256-keyed-with-spki", hmac(rsaHeader, claims("RS256"), spki), "DPoP " + FuzzKeys.token("RS256"),
                DPOP_ONLY);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        request("alg-hs256-keyed-with-pem", hmac(rsaHeader, claims("RS256"), utf8(pem)), "DPoP " + FuzzKeys.token("RS256"),
                DPOP_ONLY);
        request("alg-es384-on-p256-key", signed("ES256", header.replace("ES256", "ES384"), claims("ES256")));
        request("alg-rs256-on-ec-key", signed("ES256", header.replace("ES256", "RS256"), claims("ES256")));
        request("alg-eddsa-on-rsa-key", signed("RS256", header("RS256").replace("RS256", "EdDSA"), claims("RS256")),
                "DPoP " + FuzzKeys.token("RS256"), DPOP_ONLY);
        request("alg-missing", signed("ES256", header.replace("\"alg\":\"ES256\",", ""), claims("ES256")));
        request("alg-number", signed("ES256", header.replace("\"ES256\"", "256"), claims("ES256")));
        request("header-crit", signed("ES256", header.replaceFirst("\\{", "{\"crit\":[\"exp\"],\"exp\":1,"), claims("ES256")));
        request("typ-jwt", signed("ES256", header.replace("dpop+jwt", "jwt"), claims("ES256")));
        request("typ-missing", signed("ES256", header.replace("\"typ\":\"dpop+jwt\",", ""), claims("ES256")));
    }

    private String hmac(String header, String claims, byte[] secret) {
        byte[] h = utf8(header);
        byte[] c = utf8(claims);
        return RawJws.b64(h) + "." + RawJws.b64(c) + "." + b64(RawJws.hmacSha256(secret, RawJws.signingInput(h, c)));
    }

    private void addHostileKeys() {
        request("jwk-private-ec-d-signed", signed("ES256", header("ES256", keys.privateJwk("ES256")), claims("ES256")));
        request("jwk-private-rsa-signed", signed("RS256", header("RS256", keys.privateJwk("RS256")), claims("RS256")),
                "DPoP " + FuzzKeys.token("RS256"), DPOP_ONLY);
        request("jwk-private-ed25519-signed", signed("EdDSA", header("EdDSA", keys.privateJwk("EdDSA")), claims("EdDSA")),
                "DPoP " + FuzzKeys.token("EdDSA"), DPOP_ONLY);
        request("jwk-not-an-object", signed("ES256", header("ES256", "\"" + b64(bytes(16)) + "\""), claims("ES256")));
        for (Map.Entry<String, String> jwk : jwks.entrySet()) {
            String name = jwk.getKey();
            String json = jwk.getValue();
            if (name.startsWith("jwk-rsa") && !name.equals("jwk-rsa-private")) {
                int bytes = name.contains("8192") ? 1024 : 256;
                byte[] signature = bytes(bytes);
                signature[0] &= 0x3F;
                request("proof-" + name, unsignedBy(header("RS256", json), claims("RS256"), signature));
                if (name.contains("8192")) {
                    request("proof-" + name + "-PS512", unsignedBy(header("PS512", json), claims("PS512"), signature));
                }
            } else if (name.startsWith("jwk-ec") && !name.equals("jwk-ec-private-d") && !name.contains("kid")) {
                String alg = json.contains("P-521") ? "ES512" : "ES256";
                request("proof-" + name, unsignedBy(header(alg, json), claims(alg), bytes(alg.equals("ES512") ? 132 : 64)));
            } else if (name.startsWith("jwk-ed25519-") || name.equals("jwk-x25519") || name.equals("jwk-oct")) {
                request("proof-" + name, unsignedBy(header("EdDSA", json), claims("EdDSA"), bytes(64)));
            }
        }
    }

    private void addHostileSignatures() {
        for (String alg : List.of("ES256", "ES384", "ES512")) {
            int size = alg.equals("ES256") ? 32 : alg.equals("ES384") ? 48 : 66;
            BigInteger n = ((ECPublicKey) keys.forAlg(alg).getPublicKey()).getParams().getOrder();
            request("ecdsa-zero-signature-" + alg, unsignedBy(header(alg), claims(alg), new byte[2 * size]));
            request("ecdsa-r-and-s-are-n-" + alg, unsignedBy(header(alg), claims(alg), concat(fixed(n, size), fixed(n, size))));
            byte[] h = utf8(header(alg));
            byte[] c = utf8(claims(alg));
            PrivateKey key = keys.forAlg(alg).getPrivateKey();
            request("ecdsa-der-signature-" + alg, RawJws.b64(h) + "." + RawJws.b64(c) + "."
                    + b64(RawJws.signDer(alg, key, RawJws.signingInput(h, c))));
            byte[] p1363 = RawJws.sign(alg, key, RawJws.signingInput(h, c));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(p1363, size, 2 * size));
            byte[] highS = concat(Arrays.copyOf(p1363, size), fixed(n.subtract(s), size));
            request("valid-ecdsa-high-s-" + alg, RawJws.b64(h) + "." + RawJws.b64(c) + "." + b64(highS));
        }
        request("eddsa-zero-signature", unsignedBy(header("EdDSA"), claims("EdDSA"), new byte[64]));
        byte[] identity = new byte[32];
        identity[0] = 1;
        // R = the identity point and S = 0 satisfy [S]B = R + [k]A for A = identity, whatever the message
        request("eddsa-identity-key-universal-forgery", unsignedBy(header("EdDSA", jwks.get("jwk-ed25519-identity-point")),
                claims("EdDSA"), concat(identity, new byte[32])));
        String valid = signed("ES256", header("ES256"), claims("ES256"));
        request("signature-truncated", valid.substring(0, valid.length() - 4));
        String other = signed("ES256", header("ES256"), claims("ES256"));
        request("signature-of-another-proof", other.substring(0, other.lastIndexOf('.')) + valid.substring(valid.lastIndexOf('.')));
    }

    private void addHostileEncodings() {
        String valid = signed("ES256", header("ES256"), claims("ES256"));
        String[] parts = valid.split("\\.");
        for (int i = 0; i < 3; i++) {
            String[] changed = parts.clone();
            changed[i] = noncanonical(changed[i]);
            request("base64url-noncanonical-part-" + i, String.join(".", changed));
        }
        request("base64url-padding", signed("ES256", header("ES256"), claims("ES256")) + "==");
        request("base64url-standard-alphabet", parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/') + "+/");
        request("base64url-space-inside", parts[0] + "." + parts[1].substring(0, 10) + " " + parts[1].substring(10) + "." + parts[2]);
        request("jws-two-parts", parts[0] + "." + parts[1]);
        request("jws-four-parts", valid + "." + parts[2]);
        request("jws-empty-payload", parts[0] + ".." + parts[2]);
        request("jws-json-serialization", "{\"payload\":\"" + parts[1] + "\",\"signatures\":[]}");
        request("dpop-empty", "");
        request("dpop-comma-joined", valid + ", " + signed("ES256", header("ES256"), claims("ES256")));
        request("dpop-oversized", signed("ES256", header("ES256"), withClaim(claims("ES256"), "\"pad\":\"" + "x".repeat(7000) + "\"")));

        String header = header("ES256");
        String claims = claims("ES256");
        request("json-duplicate-alg", signed("ES256", header.replaceFirst("\\{", "{\"alg\":\"none\","), claims));
        request("json-duplicate-escaped-alg", signed("ES256", header.replaceFirst("\\{", "{\"\\\\u0061lg\":\"none\","), claims));
        request("json-duplicate-jti", signed("ES256", header, claims.replaceFirst("\\{", "{\"jti\":\"first\",")));
        request("json-header-bom", signedBytes("ES256", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(header)),
                utf8(claims)));
        request("json-claims-bom", signed("ES256", header, "\uFEFF" + claims));
        request("json-jti-overlong-utf8", signedBytes("ES256", utf8(header), jtiBytes(0xC0, 0xAF)));
        request("json-jti-overlong-3-byte", signedBytes("ES256", utf8(header), jtiBytes(0xE0, 0x80, 0xAF)));
        request("json-jti-encoded-surrogate", signedBytes("ES256", utf8(header), jtiBytes(0xED, 0xA0, 0x80)));
        request("json-jti-cesu-pair", signedBytes("ES256", utf8(header), jtiBytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)));
        request("json-jti-beyond-u10ffff", signedBytes("ES256", utf8(header), jtiBytes(0xF4, 0x90, 0x80, 0x80)));
        request("json-jti-truncated-utf8", signedBytes("ES256", utf8(header), jtiBytes(0xE2, 0x82)));
        request("json-jti-noncharacter", signedBytes("ES256", utf8(header), jtiBytes(0xEF, 0xBF, 0xBF)));
        request("json-jti-escaped-lone-high-surrogate", signed("ES256", header, claims.replaceFirst("\"jti\":\"", "\"jti\":\"\\\\ud800")));
        request("json-jti-escaped-lone-low-surrogate", signed("ES256", header, claims.replaceFirst("\"jti\":\"", "\"jti\":\"\\\\udc00x")));
        request("json-jti-escaped-pair", signed("ES256", header, claims.replaceFirst("\"jti\":\"", "\"jti\":\"\\\\ud83d\\\\ude00")));
        request("json-jti-raw-emoji", signed("ES256", header, claims.replaceFirst("\"jti\":\"", "\"jti\":\"\uD83D\uDE00")));
        request("json-nesting-9", signed("ES256", header, withClaim(claims, "\"deep\":" + "[".repeat(8) + "]".repeat(8))));
        request("json-nesting-2000", signed("ES256", header, withClaim(claims, "\"deep\":" + "[".repeat(2000) + "]".repeat(2000))));
        request("json-65-members", signed("ES256", header, withClaim(claims, members(61))));
        request("json-trailing-data", signed("ES256", header, claims + "{}"));
        request("json-not-object", signed("ES256", header, "[" + claims + "]"));
    }

    private void addClaimChecks() {
        String header = header("ES256");
        String claims = claims("ES256");
        String iat = "\"iat\":" + FuzzKeys.NOW.getEpochSecond();
        claim("iat-1e999999999", claims.replace(iat, "\"iat\":1e999999999"));
        claim("iat-1e-999999999", claims.replace(iat, "\"iat\":1E-999999999"));
        claim("iat-exponent-overflow", claims.replace(iat, "\"iat\":1e2147483648"));
        claim("iat-fraction", claims.replace(iat, iat + ".5"));
        claim("iat-exponent-form", claims.replace(iat, "\"iat\":1.7955000e9"));
        claim("iat-milliseconds", claims.replace(iat, iat + "000"));
        claim("iat-long-max", claims.replace(iat, "\"iat\":9223372036854775807"));
        claim("iat-long-overflow", claims.replace(iat, "\"iat\":9223372036854775808"));
        claim("iat-negative", claims.replace(iat, "\"iat\":-1"));
        claim("iat-string", claims.replace(iat, "\"iat\":\"" + FuzzKeys.NOW.getEpochSecond() + "\""));
        claim("iat-too-old", claims.replace(iat, "\"iat\":" + (FuzzKeys.NOW.getEpochSecond() - 61)));
        claim("iat-in-the-future", claims.replace(iat, "\"iat\":" + (FuzzKeys.NOW.getEpochSecond() + 11)));
        claim("valid-iat-at-skew-edge", claims.replace(iat, "\"iat\":" + (FuzzKeys.NOW.getEpochSecond() + 10)));
        claim("iat-missing", claims.replace("," + iat, ""));
        claim("jti-empty", claims.replaceFirst("\"jti\":\"[^\"]*\"", "\"jti\":\"\""));
        claim("jti-257", claims.replaceFirst("\"jti\":\"[^\"]*\"", "\"jti\":\"" + "j".repeat(257) + "\""));
        claim("jti-number", claims.replaceFirst("\"jti\":\"[^\"]*\"", "\"jti\":42"));
        claim("htm-lower-case", claims.replace("\"htm\":\"GET\"", "\"htm\":\"get\""));
        claim("htm-post", claims.replace("\"htm\":\"GET\"", "\"htm\":\"POST\""));
        claim("htm-null", claims.replace("\"htm\":\"GET\"", "\"htm\":null"));
        claim("htu-userinfo", claims.replace(FuzzKeys.HTU, "https://user@api.example.com/orders"));
        claim("htu-other-path", claims.replace(FuzzKeys.HTU, "https://api.example.com/orders/1"));
        claim("htu-trailing-slash", claims.replace(FuzzKeys.HTU, FuzzKeys.HTU + "/"));
        claim("htu-http", claims.replace(FuzzKeys.HTU, "http://api.example.com/orders"));
        claim("htu-not-a-uri", claims.replace(FuzzKeys.HTU, "https://api.example.com/ord ers%zz"));
        claim("htu-relative", claims.replace(FuzzKeys.HTU, "/orders"));
        claim("htu-ipv6", claims.replace(FuzzKeys.HTU, "https://[::1]:8443/orders"));
        claim("ath-missing", claims.replaceFirst(",\"ath\":\"[^\"]*\"", ""));
        claim("ath-wrong", claims.replaceFirst("\"ath\":\"[^\"]*\"", "\"ath\":\"" + FuzzKeys.ath("another token") + "\""));
        claim("ath-number", claims.replaceFirst("\"ath\":\"[^\"]*\"", "\"ath\":1"));
        request("nonce-missing", signed("ES256", header, claims), "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
        request("nonce-garbage", signed("ES256", header, withClaim(claims, "\"nonce\":\"!!\"")),
                "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
        request("nonce-forged", signed("ES256", header, withClaim(claims, "\"nonce\":\"" + b64(bytes(24)) + "\"")),
                "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
        request("nonce-truncated", signed("ES256", header, withClaim(claims, "\"nonce\":\"" + nonce.substring(1) + "\"")),
                "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
        request("nonce-number", signed("ES256", header, withClaim(claims, "\"nonce\":1")),
                "DPoP " + FuzzKeys.token("ES256"), NONCES_REQUIRED);
    }

    private void claim(String name, String claims) {
        request(name, signed("ES256", header("ES256"), claims));
    }

    private void addCredentials() {
        String token = FuzzKeys.token("ES256");
        String[][] authorizations = {
                {"auth-lower-case-scheme", "dpop " + token},
                {"auth-two-spaces", "DPoP  " + token},
                {"auth-tab", "DPoP\t" + token},
                {"auth-two-credentials", "DPoP " + token + ", Bearer " + token},
                {"auth-basic", "Basic " + b64("alice:secret")},
                {"auth-scheme-only", "DPoP"},
                {"auth-not-token68", "DPoP " + token + " more"},
                {"auth-token68-padding", "DPoP " + token + "=="},
                {"auth-empty", ""},
                {"auth-bearer-in-dpop-only", "Bearer " + token},
                {"auth-token-of-another-key", "DPoP " + FuzzKeys.token("RS256")},
        };
        for (String[] authorization : authorizations) {
            request(authorization[0], signed("ES256", header("ES256"), claims("ES256")), authorization[1], DPOP_ONLY);
        }
        for (String other : List.of("unknown-token", FuzzKeys.UNBOUND_TOKEN)) {
            request("auth-" + other, signed("ES256", header("ES256"),
                    claims("ES256").replaceFirst("\"ath\":\"[^\"]*\"", "\"ath\":\"" + FuzzKeys.ath(other) + "\"")),
                    "DPoP " + other, DPOP_ONLY);
        }
        request("auth-ath-of-another-key-token", signed("ES256", header("ES256"),
                claims("ES256").replaceFirst("\"ath\":\"[^\"]*\"", "\"ath\":\"" + FuzzKeys.ath(FuzzKeys.token("RS256")) + "\"")),
                "DPoP " + FuzzKeys.token("RS256"), DPOP_ONLY);
        request("valid-bearer-unbound-mixed", "", "Bearer " + FuzzKeys.UNBOUND_TOKEN, DPOP_OR_BEARER);
        request("bearer-bound-token-mixed", "", "Bearer " + token, DPOP_OR_BEARER);
        request("valid-dpop-mixed", signed("ES256", header("ES256"), claims("ES256")), "DPoP " + token, DPOP_OR_BEARER);
        request("no-credentials", "", "", DPOP_ONLY);
        for (String alg : List.of("ES256", "RS256", "EdDSA")) {
            request("valid-token-request-" + alg, signed(alg, header(alg), claims(alg)), "", TOKEN_REQUEST);
        }
        request("token-request-without-proof", "", "Basic " + b64("client:secret"), TOKEN_REQUEST);
        // token-request-ed25519-identity-key-forgery, a finding, is a committed seed
        request("dpop-scheme-without-proof", "", "DPoP " + token, DPOP_ONLY);
    }

    // ---- building blocks

    private String header(String alg) {
        return header(alg, keys.publicJwk(alg));
    }

    private static String header(String alg, String jwk) {
        return "{\"typ\":\"dpop+jwt\",\"alg\":\"" + alg + "\",\"jwk\":" + jwk + "}";
    }

    /** @return claims of a proof for {@code alg}'s token, each with a jti of its own */
    private String claims(String alg) {
        return "{\"jti\":\"" + nextJti() + "\",\"htm\":\"" + FuzzKeys.METHOD + "\",\"htu\":\"" + FuzzKeys.HTU
                + "\",\"iat\":" + FuzzKeys.NOW.getEpochSecond() + ",\"ath\":\"" + FuzzKeys.ath(FuzzKeys.token(alg)) + "\"}";
    }

    private String nextJti() {
        return "seed-" + (++jtiCounter);
    }

    private static String withClaim(String claims, String member) {
        return claims.substring(0, claims.length() - 1) + "," + member + "}";
    }

    private byte[] jtiBytes(int... odd) {
        byte[] raw = new byte[odd.length];
        for (int i = 0; i < odd.length; i++) {
            raw[i] = (byte) odd[i];
        }
        String claims = claims("ES256");
        int at = claims.indexOf("\"jti\":\"") + 7;
        return concat(utf8(claims.substring(0, at)), concat(raw, utf8(claims.substring(at))));
    }

    private static String members(int count) {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < count; i++) {
            members.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        return members.toString();
    }

    private String signed(String alg, String header, String claims) {
        return RawJws.signed(alg, keys.forAlg(alg).getPrivateKey(), header, claims);
    }

    private String signedBytes(String alg, byte[] header, byte[] claims) {
        return RawJws.signed(alg, keys.forAlg(alg).getPrivateKey(), header, claims);
    }

    private static String unsignedBy(String header, String claims, byte[] signature) {
        return RawJws.compact(utf8(header), utf8(claims), signature);
    }

    private void request(String name, String dpop) {
        String alg = dpop.isEmpty() ? "ES256" : algOf(dpop);
        request(name, dpop, "DPoP " + FuzzKeys.token(alg), DPOP_ONLY);
    }

    private void request(String name, String dpop, String authorization, int config) {
        requests.add(new Request(name, dpop, authorization, config));
    }

    /** @return the alg whose token a seed's Authorization carries: the key's, guessed from the header */
    private static String algOf(String dpop) {
        byte[] header = lenientBase64(dpop.trim().split("\\.", -1)[0]);
        String text = header == null ? "" : new String(header, StandardCharsets.UTF_8);
        for (String alg : List.of("RS", "PS", "ES384", "ES512", "EdDSA")) {
            if (text.contains("\"alg\":\"" + alg)) {
                return alg.length() == 2 ? "RS256" : alg;
            }
        }
        return "ES256";
    }

    /** @return {@code part} made non-canonical: unused trailing bits set, as RFC 4648 §3.5 forbids */
    private static String noncanonical(String part) {
        if (part.length() % 4 == 0) {
            return part + "AB";
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(part.charAt(part.length() - 1));
        return part.substring(0, part.length() - 1) + alphabet.charAt(last | 1);
    }

    /** Texts at the edges of RFC 8259, RFC 3629 and I-JSON (RFC 7493), beyond those inside the proofs. */
    private static Map<String, byte[]> jsonOddities() {
        Map<String, byte[]> texts = new LinkedHashMap<>();
        String[] plain = {"{}", "[]", "null", "0", "-0", "\"x\"", " \t\r\n{ } ", "{\"a\":1,\"a\":2}",
                "{\"a\":1,\"\\u0061\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}",
                "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\uffff\"}", "{\"a\":\"\\ufdd0\"}",
                "{\"a\":\"\\u0000\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1e999999999}", "{\"a\":-1e999999999}",
                "{\"a\":1E-999999999}", "{\"a\":1e2147483648}", "{\"a\":9223372036854775807}", "{\"a\":9223372036854775808}",
                "{\"a\":-9223372036854775808}", "{\"a\":-9223372036854775809}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}",
                "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":123456789012345678901234567890123}", "{\"a\":tru}",
                "{\"a\":True}", "{\"a\":nul}", "{} {}", "{}x", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{\"a\"}", "{,}",
                "{\"a\":\u00a01}", "{\"a\":\f1}", "{\"a\":[" + "1,".repeat(64) + "1]}", "{" + members(65) + "}",
                "{\"a\":\"" + "s".repeat(8193) + "\"}", "[" + "[".repeat(9999) + "]".repeat(10000),
                "{\"a\":".repeat(5000) + "1" + "}".repeat(5000), "[{\"a\":".repeat(20) + "1" + "}]".repeat(20), "\"\\uFEFF\"",
                "\uFEFF{}"};
        for (int i = 0; i < plain.length; i++) {
            texts.put("json-" + i, utf8(plain[i]));
        }
        int[][] raw = {{0xEF, 0xBB, 0xBF}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF},
                {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}, {0xEF, 0xBF, 0xBF},
                {0xEF, 0xB7, 0x90}, {0xF4, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80},
                {0xE2, 0x82}, {0x80}, {0xFF}, {0x01}, {0x7F}, {0xC2, 0xA0}};
        for (int i = 0; i < raw.length; i++) {
            byte[] odd = new byte[raw[i].length];
            for (int k = 0; k < odd.length; k++) {
                odd[k] = (byte) raw[i][k];
            }
            texts.put("utf8-in-string-" + i, concat(utf8("{\"a\":\""), concat(odd, utf8("\"}"))));
            texts.put("utf8-in-name-" + i, concat(utf8("{\""), concat(odd, utf8("\":1}"))));
        }
        texts.put("utf8-bom-before-object", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{}")));
        return texts;
    }

    private static List<Seed> distinct(List<Seed> seeds) {
        Set<String> seen = new LinkedHashSet<>();
        List<Seed> distinct = new ArrayList<>();
        for (Seed seed : seeds) {
            if (seen.add(Base64.getEncoder().encodeToString(seed.bytes()))) {
                distinct.add(seed);
            }
        }
        return distinct;
    }

    private static byte[] lenientBase64(String part) {
        try {
            return Base64.getUrlDecoder().decode(part.replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private BigInteger fieldPrime(String alg) {
        return ((ECFieldFp) ((ECPublicKey) keys.forAlg(alg).getPublicKey()).getParams().getCurve().getField()).getP();
    }

    /** @return an odd number of exactly {@code bits} bits: the shape of an RSA modulus, cheaply */
    private BigInteger oddNumber(int bits) {
        return new BigInteger(bits, random).setBit(bits - 1).setBit(0);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** @return {@code n} as unsigned big-endian bytes, without a sign byte */
    private static byte[] unsigned(BigInteger n) {
        byte[] bytes = n.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** @return {@code n} as unsigned big-endian bytes of exactly {@code length} */
    private static byte[] fixed(BigInteger n, int length) {
        byte[] bytes = unsigned(n);
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return RawJws.b64(bytes);
    }

    private static String b64(String text) {
        return RawJws.b64(text);
    }
}
