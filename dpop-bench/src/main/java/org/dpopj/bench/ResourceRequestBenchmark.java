package org.dpopj.bench;

import java.net.URI;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.token.JwtAccessTokenResolver;
import org.jose4j.jws.JsonWebSignature;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A whole resource request, side by side with its floor and its peer, on the same pre-generated
 * proofs ({@link ProofPool}: {@value ProofPool#PROOFS} proofs from {@value ProofPool#KEYS} keys, each
 * key with its own JWT access token):
 * <ul>
 *   <li>{@code dpopj}: {@link DPoPValidator#validate} with every check: the proof, {@code ath}, the
 *       token's signature from a cached JWKS (fetched once from a loopback server) and its claims,
 *       {@code cnf.jkt}, and the {@code jti} in the JCache replay store on Ehcache; verified tokens
 *       remembered (the default);</li>
 *   <li>{@code dpopjNoTokenCache}: the same with the verified-token cache off, so two signature checks
 *       per request;</li>
 *   <li>{@code nimbus}: the Nimbus SDK's {@code DPoPProtectedResourceRequestVerifier} (with its
 *       in-memory single-use checker) after Nimbus JOSE+JWT's {@code DefaultJWTProcessor} verifies the
 *       token from an in-memory JWKS;</li>
 *   <li>{@code floor}: one bare {@link Signature#verify} of the proof with the same algorithm and
 *       provider, the key already built: the least any verifier must spend.</li>
 * </ul>
 * {@code provider=accp} runs everything with Amazon Corretto Crypto Provider: ours through {@code
 * dpop.crypto.provider}, Nimbus and the floor through ACCP installed first in the JVM's list (each
 * trial is a JVM of its own). Each thread has its own validator and replay store; when its proofs are
 * used up it moves to fresh ones made before the iteration (and at each iteration's start), since a
 * {@code jti} is single-use.
 *
 * <p>Run: {@code java -jar dpop-dpop-bench/target/benchmarks.jar ResourceRequestBenchmark -t 1 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ResourceRequestBenchmark {

    static final URI HTU = URI.create(ProofPool.HTU);

    @Param({"ES256", "PS256", "RS256", "EdDSA"})
    public String alg;

    @Param({"jdk", "accp"})
    public String provider;

    /** The pool and the JWKS server, one per trial, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        ProofPool pool;
        LoopbackJwks jwks;
        /**
         * Held open for the whole trial: a store closing its cache also closes the embedded cache manager
         * when that holds no other cache, and at 2 threads that raced with the other thread opening its next
         * store in the same manager (found here; see the report).
         */
        JCacheReplayStore anchor;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            if (params.getParam("provider").equals("accp")) {
                Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                        .getField("INSTANCE").get(null);
                Security.insertProviderAt(accp, 1);
            }
            pool = ProofPool.of(params.getParam("alg"));
            jwks = new LoopbackJwks(pool.jwks);
            anchor = store();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            jwks.close();
            anchor.close();
        }
    }

    private Shared shared;
    private JwtAccessTokenResolver cachedTokens;
    private JwtAccessTokenResolver uncachedTokens;
    private DPoPValidator validator;
    private DPoPValidator uncachedValidator;
    private DPoPProtectedResourceRequestVerifier nimbus;
    private DefaultJWTProcessor<SecurityContext> nimbusTokens;
    private final DPoPIssuer nimbusClient = new DPoPIssuer("bench-client");
    private String[] proofs;
    private String[] authorizations;
    private String[] tokens;
    private int next;
    private int nextFloor;
    private PublicKey[] floorKeys;
    private byte[][] floorInputs;
    private byte[][] floorSignatures;
    private Signature floorVerifier;

    @Setup(Level.Trial)
    public void setUp(Shared shared, BenchmarkParams params) throws Exception {
        this.shared = shared;
        String benchmark = params.getBenchmark();
        method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        ProofPool pool = shared.pool;
        proofs = pool.proofs;
        tokens = pool.tokens;
        authorizations = new String[proofs.length];
        for (int i = 0; i < proofs.length; i++) {
            authorizations[i] = "DPoP " + tokens[i];
        }
        cachedTokens = resolver(JwtAccessTokenResolver.DEFAULT_TOKEN_CACHE_MAX_ENTRIES);
        uncachedTokens = resolver(0);
        nimbusTokens = new DefaultJWTProcessor<>();
        nimbusTokens.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        nimbusTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(alg),
                new ImmutableJWKSet<>(JWKSet.parse(pool.jwks))));
        nimbusTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(ProofPool.AUDIENCE,
                new JWTClaimsSet.Builder().issuer(ProofPool.ISSUER).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id")));
        floorSetUp();
        fresh();
    }

    private JwtAccessTokenResolver resolver(int cacheEntries) {
        return JwtAccessTokenResolver.builder().jwksUri(shared.jwks.uri()).issuer(ProofPool.ISSUER)
                .audience(ProofPool.AUDIENCE).jwksCacheLifetime(Duration.ofHours(1))
                .tokenCacheMaxEntries(cacheEntries).cryptoProvider(provider).build();
    }

    private void floorSetUp() throws Exception {
        floorKeys = new PublicKey[proofs.length];
        floorInputs = new byte[proofs.length][];
        floorSignatures = new byte[proofs.length][];
        for (int i = 0; i < proofs.length; i++) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(proofs[i]);
            floorKeys[i] = jws.getJwkHeader().getPublicKey();
            String[] parts = proofs[i].split("\\.");
            floorInputs[i] = (parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            floorSignatures[i] = Base64.getUrlDecoder().decode(parts[2]);
        }
        Provider chosen = provider.equals("accp") ? Security.getProvider("AmazonCorrettoCryptoProvider") : null;
        String name;
        switch (alg) {
            case "ES256": name = "SHA256withECDSAinP1363Format"; break;
            case "RS256": name = "SHA256withRSA"; break;
            case "PS256": name = "RSASSA-PSS"; break;
            default: name = "Ed25519";
        }
        floorVerifier = chosen == null ? Signature.getInstance(name) : Signature.getInstance(name, chosen);
        if (alg.equals("PS256")) {
            floorVerifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
    }

    /**
     * One use of the whole pool: validators with empty replay stores and a Nimbus single-use checker,
     * so that every proof is unused again.
     */
    private final class Round {
        final JCacheReplayStore store;
        final DPoPValidator validator;
        final DPoPValidator uncachedValidator;
        final InMemoryDPoPSingleUseChecker nimbusReplay;
        final DPoPProtectedResourceRequestVerifier nimbus;

        /** @param method the benchmark method: only what it uses is made */
        Round(String method) {
            boolean ours = method.equals("dpopj") || method.equals("dpopjNoTokenCache");
            store = ours ? store() : null;
            validator = method.equals("dpopj") ? validator(store, cachedTokens) : null;
            uncachedValidator = method.equals("dpopjNoTokenCache") ? validator(store, uncachedTokens) : null;
            nimbusReplay = method.equals("nimbus")
                    ? new InMemoryDPoPSingleUseChecker(ProofPool.MAX_AGE.toSeconds() + 20, 3600) : null;
            // the Nimbus SDK's DPoP verifier accepts RS, PS and ES proofs only; nimbus() is not run for EdDSA
            nimbus = nimbusReplay == null || alg.equals("EdDSA") ? null
                    : new DPoPProtectedResourceRequestVerifier(new java.util.HashSet<>(Set.of(JWSAlgorithm.parse(alg))),
                            10, ProofPool.MAX_AGE.toSeconds(), nimbusReplay);
        }

        void close() {
            if (validator != null) {
                validator.close();
            }
            if (uncachedValidator != null) {
                uncachedValidator.close();
            }
            if (store != null) {
                store.close();
            }
            if (nimbusReplay != null) {
                nimbusReplay.shutdown();
            }
        }
    }

    /**
     * Rounds made before each iteration, outside the measured time: making one (two Ehcache caches,
     * their MBeans) cost about as much as a few hundred validations, and inside the benchmark method it
     * was measured as if the validator spent it (seen in a JFR profile). {@value #SPARE_ROUNDS} pools
     * of {@value ProofPool#PROOFS} cover a two-second iteration at up to ~65,000 operations per second
     * per thread; past that a round is made inside the measurement, as before.
     */
    static final int SPARE_ROUNDS = 32;

    /** The benchmark method of this trial, whose rounds are made. */
    private String method;

    private Round round;
    private final java.util.ArrayDeque<Round> spares = new java.util.ArrayDeque<>();
    private final java.util.List<Round> used = new java.util.ArrayList<>();

    /** The next round: a spare one when there is one. */
    private void fresh() {
        if (round != null) {
            used.add(round);
        }
        round = spares.isEmpty() ? new Round(method) : spares.poll();
        validator = round.validator;
        uncachedValidator = round.uncachedValidator;
        nimbus = round.nimbus;
        next = 0;
    }

    private static JCacheReplayStore store() {
        return JCacheReplayStore.builder().cacheName("bench-" + UUID.randomUUID())
                .entryLifetime(ProofPool.MAX_AGE.plusSeconds(11)).build();
    }

    private DPoPValidator validator(JCacheReplayStore replay, JwtAccessTokenResolver tokenResolver) {
        return DPoPValidator.builder().replayStore(replay).accessTokenResolver(tokenResolver)
                .proofMaxAge(ProofPool.MAX_AGE).cryptoProvider(provider).build();
    }

    /** Closes the rounds used up, so that their caches leave the JVM-wide cache manager. */
    private void closeUsed() {
        used.forEach(Round::close);
        used.clear();
    }

    @Setup(Level.Iteration)
    public void freshPerIteration() {
        if (next > 0) {
            fresh();
        }
        closeUsed();
        while (!method.equals("floor") && spares.size() < SPARE_ROUNDS) {
            spares.add(new Round(method));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (round != null) {
            used.add(round);
        }
        used.addAll(spares);
        spares.clear();
        closeUsed();
    }

    private int nextProof() {
        if (next == proofs.length) {
            fresh();
        }
        return next++;
    }

    @Benchmark
    public DPoPResult dpopj() {
        int i = nextProof();
        return validate(validator, i);
    }

    @Benchmark
    public DPoPResult dpopjNoTokenCache() {
        int i = nextProof();
        return validate(uncachedValidator, i);
    }

    private DPoPResult validate(DPoPValidator chosen, int i) {
        try {
            return chosen.validate(DPoPRequest.builder().method("GET").targetUri(ProofPool.HTU)
                    .dpopHeaders(List.of(proofs[i])).authorizationHeaders(List.of(authorizations[i])).build());
        } catch (DPoPException e) {
            throw new IllegalStateException("benchmark request refused: " + e.failedCheck() + " " + e.getMessage(), e);
        }
    }

    @Benchmark
    public JWTClaimsSet nimbus() throws Exception {
        if (nimbus == null) {
            throw new UnsupportedOperationException("the Nimbus SDK's DPoP verifier does not accept " + alg + " proofs");
        }
        int i = nextProof();
        String authorization = authorizations[i];
        String token = authorization.substring("DPoP ".length());
        JWTClaimsSet claims = nimbusTokens.process(token, null);
        JWKThumbprintConfirmation cnf = JWKThumbprintConfirmation.parse(claims);
        nimbus.verify("GET", HTU, nimbusClient, SignedJWT.parse(proofs[i]), new DPoPAccessToken(token), cnf, null);
        return claims;
    }

    @Benchmark
    public boolean floor() throws Exception {
        int i = nextFloor;
        nextFloor = i + 1 == proofs.length ? 0 : i + 1;
        floorVerifier.initVerify(floorKeys[i]);
        floorVerifier.update(floorInputs[i]);
        return floorVerifier.verify(floorSignatures[i]);
    }
}
