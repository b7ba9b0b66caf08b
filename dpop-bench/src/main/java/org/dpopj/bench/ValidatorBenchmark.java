package org.dpopj.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole validator (every check, the real Ehcache replay store) against the bare JDK signature
 * verification of the same proof, side by side in one run, so that the ratio shows what the library
 * adds on top of the cryptography. Each validation needs an unused proof (the jti is single-use): a
 * batch is minted once, and when it has been used up the benchmark closes its validator and replay
 * store and moves to fresh ones with an empty cache (a few milliseconds per batch, well under 1% of
 * it). Closing matters: a store left open keeps its cache, and its 4096 entries, in the JVM-wide
 * cache manager, so a long trial would pile up caches and measure a growing heap.
 *
 * <p>Run: {@code java -jar dpop-bench/target/benchmarks.jar ValidatorBenchmark -f 1 -wi 2 -w 2 -i 4 -r 2 -prof gc}
 * ({@code gc.alloc.rate.norm} is the bytes allocated per validation, beside those of the bare check).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidatorBenchmark {

    private static final String HTU = "https://api.example.com/orders";
    private static final String TOKEN = "benchmark-token";
    private static final int BATCH = 4096;

    @Param({"ES256", "RS256"})
    public String alg;

    private DPoPValidator validator;
    private JCacheReplayStore store;
    private PublicJsonWebKey key;
    private String[] proofs;
    private int next;
    private Signature verifier;
    private byte[] signingInput;
    private byte[] signature;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPair pair;
        if (alg.equals("ES256")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
            verifier = Signature.getInstance("SHA256withRSA");
        }
        key = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        key.setPrivateKey(pair.getPrivate());
        validator = newValidator();
        proofs = new String[BATCH];
        mint();
        String[] parts = proofs[0].split("\\.");
        signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(parts[2]);
        verifier.initVerify(pair.getPublic());
    }

    private DPoPValidator newValidator() throws Exception {
        String jkt = key.calculateBase64urlEncodedThumbprint("SHA-256");
        store = JCacheReplayStore.builder().cacheName("bench-" + UUID.randomUUID())
                .entryLifetime(Duration.ofHours(1).plusSeconds(11)).build();
        return DPoPValidator.builder()
                .replayStore(store)
                .accessTokenResolver((token, scheme) -> AccessToken.builder().subject("bench").jkt(jkt).build())
                .proofMaxAge(Duration.ofHours(1))
                .build();
    }

    private void mint() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            proofs[i] = BenchProofs.sign(key, alg, HTU, TOKEN, Map.of());
        }
    }

    /**
     * Starts every iteration on a fresh validator and store, so that no iteration of a slow algorithm
     * (ES256 uses fewer than {@value #BATCH} proofs in a 2 s iteration) pays for a mid-iteration
     * rebuild that its neighbours do not.
     */
    @Setup(Level.Iteration)
    public void freshValidator() throws Exception {
        if (next > 0) {
            tearDown();
            validator = newValidator();
            next = 0;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        validator.close();
        store.close();
    }

    @Benchmark
    public Object validator() throws Exception {
        if (next == BATCH) {
            tearDown();
            validator = newValidator();
            next = 0;
        }
        try {
            return validator.validate(DPoPRequest.builder().method("GET").targetUri(HTU)
                    .dpopHeaders(List.of(proofs[next++]))
                    .authorizationHeaders(List.of("DPoP " + TOKEN)).build());
        } catch (DPoPException e) {
            throw new IllegalStateException("benchmark proof refused: " + e.failedCheck(), e);
        }
    }

    @Benchmark
    public boolean bareSignatureVerify() throws Exception {
        verifier.update(signingInput);
        return verifier.verify(signature);
    }
}
