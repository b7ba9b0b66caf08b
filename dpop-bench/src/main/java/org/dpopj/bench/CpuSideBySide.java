package org.dpopj.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.token.JwtAccessTokenResolver;
import org.jose4j.jws.JsonWebSignature;

/**
 * Thread CPU time per request, dpopj and the bare signature check alternating in one JVM: one pool
 * of proofs validated by a fresh validator and replay store (as a {@link ResourceRequestBenchmark}
 * round), then the same proofs' bare checks, again and again for the given seconds, reading
 * {@link ThreadMXBean#getCurrentThreadCpuTime} around each block; the first 3 blocks are dropped and
 * the medians of the rest printed. CPU time, unlike throughput, is not stolen by other processes on a
 * shared machine, so the ratio holds where JMH's throughput ratios wander.
 *
 * <p>Run: {@code java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.CpuSideBySide RS256|ES256 accp|jdk <seconds>}
 */
public class CpuSideBySide {
    public static void main(String[] args) throws Exception {
        String alg = args[0], provider = args[1];
        long seconds = Long.parseLong(args[2]);
        if (provider.equals("accp")) {
            Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE").get(null);
            Security.insertProviderAt(accp, 1);
        }
        ProofPool pool = ProofPool.of(alg);
        LoopbackJwks jwks = new LoopbackJwks(pool.jwks);
        JCacheReplayStore anchor = store();
        JwtAccessTokenResolver tokens = JwtAccessTokenResolver.builder().jwksUri(jwks.uri()).issuer(ProofPool.ISSUER)
                .audience(ProofPool.AUDIENCE).jwksCacheLifetime(Duration.ofHours(1))
                .tokenCacheMaxEntries(JwtAccessTokenResolver.DEFAULT_TOKEN_CACHE_MAX_ENTRIES).cryptoProvider(provider).build();
        int n = pool.proofs.length;
        String[] auth = new String[n];
        PublicKey[] keys = new PublicKey[n];
        byte[][] inputs = new byte[n][];
        byte[][] sigs = new byte[n][];
        for (int i = 0; i < n; i++) {
            auth[i] = "DPoP " + pool.tokens[i];
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(pool.proofs[i]);
            keys[i] = jws.getJwkHeader().getPublicKey();
            String[] parts = pool.proofs[i].split("\\.");
            inputs[i] = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            sigs[i] = Base64.getUrlDecoder().decode(parts[2]);
        }
        Provider chosen = provider.equals("accp") ? Security.getProvider("AmazonCorrettoCryptoProvider") : null;
        String name = alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA";
        Signature floor = chosen == null ? Signature.getInstance(name) : Signature.getInstance(name, chosen);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Double> ours = new ArrayList<>(), bare = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int block = 0;
        while (System.nanoTime() < end) {
            JCacheReplayStore store = store();
            DPoPValidator validator = DPoPValidator.builder().replayStore(store).accessTokenResolver(tokens)
                    .proofMaxAge(ProofPool.MAX_AGE).cryptoProvider(provider).build();
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                validator.validate(DPoPRequest.builder().method("GET").targetUri(ProofPool.HTU)
                        .dpopHeaders(List.of(pool.proofs[i])).authorizationHeaders(List.of(auth[i])).build());
            }
            long t1 = mx.getCurrentThreadCpuTime();
            boolean all = true;
            for (int i = 0; i < n; i++) {
                floor.initVerify(keys[i]);
                floor.update(inputs[i]);
                all &= floor.verify(sigs[i]);
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (!all) throw new IllegalStateException("floor refused");
            validator.close();
            store.close();
            if (block++ >= 2) { // warm-up blocks dropped
                ours.add((t1 - t0) / 1000.0 / n);
                bare.add((t2 - t1) / 1000.0 / n);
            }
        }
        jwks.close();
        anchor.close();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) ratios.add(ours.get(i) / bare.get(i));
        System.out.printf("RESULT %s %s blocks=%d dpopj_cpu_us=%.2f floor_cpu_us=%.2f ratio_median=%.3f%n", alg, provider,
                ours.size(), median(ours), median(bare), median(ratios));
        System.exit(0);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    static JCacheReplayStore store() {
        return JCacheReplayStore.builder().cacheName("cpu-" + UUID.randomUUID())
                .entryLifetime(ProofPool.MAX_AGE.plusSeconds(11)).build();
    }
}
