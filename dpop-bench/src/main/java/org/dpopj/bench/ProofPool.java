package org.dpopj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Pre-generated requests for one algorithm, so that no benchmark ever measures signing: {@value
 * #KEYS} client keys, each with an access token of its own (a JWT signed by the issuer key with the
 * same algorithm, {@code cnf.jkt} bound to the client key), and {@value #PROOFS} proofs spread over
 * the keys, each with its own {@code jti} and the {@code ath} of its key's token. Minted once and kept
 * in the temporary folder (RSA key generation and signing take seconds), reused while less than
 * {@value #REUSE_HOURS} hours old: the benchmarks accept proofs up to a day old.
 */
final class ProofPool {

    static final String HTU = "https://api.example.com/orders";
    static final String ISSUER = "https://issuer.example.com";
    static final String AUDIENCE = "https://api.example.com";
    static final int KEYS = 64;
    static final int PROOFS = 4096;
    static final int REUSE_HOURS = 12;
    static final Duration MAX_AGE = Duration.ofHours(24);

    /** The issuer's public key set, as served at the JWKS URI. */
    final String jwks;
    /** The issuer's public key, as a JWK. */
    final PublicJsonWebKey issuerKey;
    final String[] proofs;
    final String[] tokens;

    private ProofPool(String jwks, PublicJsonWebKey issuerKey, String[] proofs, String[] tokens) {
        this.jwks = jwks;
        this.issuerKey = issuerKey;
        this.proofs = proofs;
        this.tokens = tokens;
    }

    static synchronized ProofPool of(String alg) throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "dpopj-bench-pools", alg + "-v1.txt");
        if (!Files.exists(file) || Files.getLastModifiedTime(file).toInstant()
                .isBefore(Instant.now().minus(Duration.ofHours(REUSE_HOURS)))) {
            mint(alg, file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        PublicJsonWebKey issuerKey = PublicJsonWebKey.Factory.newPublicJwk(lines.get(0));
        String[] proofs = new String[PROOFS];
        String[] tokens = new String[PROOFS];
        for (int i = 0; i < PROOFS; i++) {
            String[] pair = lines.get(1 + i).split(" ");
            proofs[i] = pair[0];
            tokens[i] = pair[1];
        }
        String jwks = "{\"keys\":[" + issuerKey.toJson(OutputControlLevel.PUBLIC_ONLY) + "]}";
        return new ProofPool(jwks, issuerKey, proofs, tokens);
    }

    private static void mint(String alg, Path file) throws Exception {
        PublicJsonWebKey issuer = BenchProofs.key(generate(alg));
        issuer.setKeyId("issuer-" + alg);
        long now = Instant.now().getEpochSecond();
        PublicJsonWebKey[] clients = new PublicJsonWebKey[KEYS];
        String[] tokens = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            clients[k] = BenchProofs.key(generate(alg));
            tokens[k] = token(issuer, alg, clients[k], now);
        }
        List<String> lines = new ArrayList<>();
        lines.add(issuer.toJson(OutputControlLevel.PUBLIC_ONLY));
        for (int i = 0; i < PROOFS; i++) {
            int k = i % KEYS;
            lines.add(BenchProofs.sign(clients[k], alg, HTU, tokens[k], Map.of()) + " " + tokens[k]);
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), alg, ".tmp");
        Files.write(temporary, lines, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static KeyPair generate(String alg) throws Exception {
        switch (alg) {
            case "ES256": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            case "EdDSA":
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            default: {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            }
        }
    }

    /** An RFC 9068 access token bound to {@code client} (RFC 9449 §6.1), valid for two days. */
    private static String token(PublicJsonWebKey issuer, String alg, PublicJsonWebKey client, long now)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("bench-user");
        claims.setStringClaim("client_id", "bench-client");
        claims.setStringClaim("scope", "orders:read");
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 48 * 3600));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("cnf", Map.of("jkt", client.calculateBase64urlEncodedThumbprint("SHA-256")));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "at+jwt");
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(issuer.getKeyId());
        jws.setPayload(claims.toJson());
        jws.setKey(issuer.getPrivateKey());
        return jws.getCompactSerialization();
    }

    static String ath(String token) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

}
