package org.dpopj.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.replay.JCacheReplayStore;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.PublicJsonWebKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a refusal: the worst hostile inputs found (a giant RSA exponent, a megabyte
 * {@code Authorization}, JSON nested to the limit, a valid-looking ES256 proof with a wrong signature or
 * for another URL), each refused by the whole validator. Compare with {@link ValidatorBenchmark} in the
 * same run: a refusal should cost at most about twice a valid request of the same algorithm.
 *
 * <p>Run: {@code java -jar dpop-bench/target/benchmarks.jar -f 1 -wi 2 -w 2 -i 4 -r 2}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RejectedInputBenchmark {

    private static final String HTU = "https://api.example.com/orders";
    private static final String TOKEN = "benchmark-token";

    @Param({"giantRsaExponent", "megabyteAuthorization", "deepJson", "badSignatureEs256", "wrongHtuEs256"})
    public String input;

    private DPoPValidator validator;
    private DPoPRequest request;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        PublicJsonWebKey key = BenchProofs.key(ec.generateKeyPair());
        String jkt = key.calculateBase64urlEncodedThumbprint("SHA-256");
        validator = DPoPValidator.builder()
                .replayStore(JCacheReplayStore.builder().cacheName("bench-" + UUID.randomUUID())
                        .entryLifetime(Duration.ofHours(1).plusSeconds(11)).build())
                .accessTokenResolver((token, scheme) -> AccessToken.builder().subject("bench").jkt(jkt).build())
                .proofMaxAge(Duration.ofHours(1))
                .build();
        String authorization = "DPoP " + TOKEN;
        String proof;
        switch (input) {
            case "giantRsaExponent": {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                KeyPair pair = rsa.generateKeyPair();
                PublicJsonWebKey rsaKey = BenchProofs.key(pair);
                Map<String, Object> jwk = rsaKey.toParams(OutputControlLevel.PUBLIC_ONLY);
                // the largest odd exponent below the modulus: a full-size modular exponentiation per check
                BigInteger modulus = ((java.security.interfaces.RSAPublicKey) pair.getPublic()).getModulus();
                byte[] e = modulus.subtract(BigInteger.TWO).toByteArray();
                e = e[0] == 0 ? java.util.Arrays.copyOfRange(e, 1, e.length) : e;
                jwk.put("e", Base64.getUrlEncoder().withoutPadding().encodeToString(e));
                proof = BenchProofs.sign(rsaKey, "RS256", HTU, TOKEN, Map.of("jwk", jwk));
                break;
            }
            case "megabyteAuthorization":
                proof = BenchProofs.sign(key, "ES256", HTU, TOKEN, Map.of());
                authorization = "DPoP " + "a".repeat(1 << 20);
                break;
            case "deepJson": {
                String deep = "[".repeat(4000) + "]".repeat(4000);
                String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8));
                proof = header + "." + BenchProofs.sign(key, "ES256", HTU, TOKEN, Map.of()).split("\\.", 2)[1];
                break;
            }
            case "badSignatureEs256": {
                String[] parts = BenchProofs.sign(key, "ES256", HTU, TOKEN, Map.of()).split("\\.");
                byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
                signature[10] ^= 1;
                proof = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
                break;
            }
            case "wrongHtuEs256":
                proof = BenchProofs.sign(key, "ES256", "https://api.example.com/other", TOKEN, Map.of());
                break;
            default:
                throw new IllegalArgumentException(input);
        }
        request = DPoPRequest.builder().method("GET").targetUri(HTU).dpopHeaders(List.of(proof))
                .authorizationHeaders(List.of(authorization)).build();
        try {
            validator.validate(request);
            throw new IllegalStateException(input + " was accepted");
        } catch (DPoPException expected) {
            // refused, as it must be
        }
    }

    @Benchmark
    public Object refuse() {
        try {
            return validator.validate(request);
        } catch (DPoPException e) {
            return e;
        }
    }
}
