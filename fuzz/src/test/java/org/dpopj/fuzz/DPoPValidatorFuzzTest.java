package org.dpopj.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.Mode;
import org.dpopj.core.NonceMode;
import org.dpopj.core.testing.Proofs;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fuzzes the whole validator, RFC 9449 §4.3 and §7.1, with a fuzzed {@code DPoP} value and a fuzzed
 * {@code Authorization} value for a fixed method and URL, under one of four configurations (DPoP only,
 * DPoP or Bearer, nonces required, token endpoint). A finding is any of:
 * <ul>
 *   <li>an exception other than {@link DPoPException}, or a check that threw where it should have
 *       answered (the validator refuses those as "could not be processed" and logs the type);</li>
 *   <li>an outcome outside the documented ones: 400 {@code invalid_request}, 401 {@code invalid_dpop_proof},
 *       {@code invalid_token}, {@code use_dpop_nonce} or a bare challenge, and 503 only when the replay
 *       store refused;</li>
 *   <li>a description that repeats more than 12 characters of the input, or a challenge header with a
 *       control character;</li>
 *   <li>more than 100 ms of CPU for one {@code validate} call;</li>
 *   <li>an accepted DPoP request whose proof was not signed by one of the fixture's keys (jose4j
 *       verifies it again, independently), or that is accepted a second time (replay).</li>
 * </ul>
 */
class DPoPValidatorFuzzTest {

    private static final int MAX_DPOP_LENGTH = 12_000;
    private static final long CPU_BUDGET_NANOS = 100_000_000L;
    private static final int ECHO_LENGTH = 13;
    private static final Set<DPoPError> DOCUMENTED = EnumSet.of(DPoPError.INVALID_REQUEST, DPoPError.INVALID_DPOP_PROOF,
            DPoPError.INVALID_TOKEN, DPoPError.USE_DPOP_NONCE, DPoPError.MISSING_CREDENTIALS);
    private static final Set<String> UNEXPECTED = Set.of("DPoP proof could not be processed", "Request could not be processed");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Held here so that the handler added to it is not lost with a collected logger. */
    private static final Logger VALIDATOR_LOG = Logger.getLogger(DPoPValidator.class.getName());

    private static FuzzKeys keys;
    private static InMemoryReplayStore store;
    private static DPoPValidator[] validators;
    private static volatile String lastWarning = "";
    private static final Map<String, Integer> outcomes = new TreeMap<>();
    private static long executions;
    private static long maxCpuNanos;

    @BeforeAll
    static void setUp() {
        keys = FuzzKeys.get();
        store = new InMemoryReplayStore(10_000);
        Clock clock = Clock.fixed(FuzzKeys.NOW, ZoneOffset.UTC);
        Proofs.MapTokenResolver tokens = new Proofs.MapTokenResolver(keys.accessTokens());
        validators = new DPoPValidator[] {
                DPoPValidator.builder().clock(clock).replayStore(store).accessTokenResolver(tokens).build(),
                DPoPValidator.builder().clock(clock).replayStore(store).accessTokenResolver(tokens)
                        .mode(Mode.DPOP_OR_BEARER).build(),
                DPoPValidator.builder().clock(clock).replayStore(store).accessTokenResolver(tokens)
                        .nonces(NonceMode.REQUIRED, FuzzKeys.nonces()).build(),
        };
        // the validator logs the type of an exception a check threw, and refuses the request
        VALIDATOR_LOG.setUseParentHandlers(false);
        VALIDATOR_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    lastWarning = record.getMessage();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        SeedCorpus corpus = new SeedCorpus();
        SeedCorpus.write(DPoPValidatorFuzzTest.class, "validate", corpus.validatorInputs());
        // class loading and the first JIT tiers, so that the CPU budget measures the input, not the JVM
        for (int round = 0; round < 3; round++) {
            for (SeedCorpus.Request request : corpus.requests()) {
                try {
                    judge(request.dpop(), request.authorization(), request.config(), false);
                } catch (AssertionError | RuntimeException e) {
                    // a seed that is a finding: the fuzz run reports it with its input
                }
            }
        }
        outcomes.clear();
        executions = 0;
        maxCpuNanos = 0;
    }

    @AfterAll
    static void report() {
        System.out.printf("DPoPValidatorFuzzTest: %d executions, max %.1f ms CPU per validate, outcomes %s%n",
                executions, maxCpuNanos / 1e6, outcomes);
    }

    /**
     * This target's finding, fixed (seed {@code token-request-ed25519-identity-key-forgery}): an Ed25519
     * key of small order was accepted, and for the identity point the JDK verifies the signature
     * R = identity, S = 0 on every message, so the token endpoint accepted a proof nobody signed.
     */
    @Test
    void tokenEndpointRefusesEd25519KeyOfSmallOrder() throws IOException {
        String reproducer;
        try (InputStream in = DPoPValidatorFuzzTest.class.getResourceAsStream(
                "DPoPValidatorFuzzTestInputs/validate/token-request-ed25519-identity-key-forgery")) {
            reproducer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(reproducer).endsWith("\\;" + SeedCorpus.TOKEN_REQUEST);
        DPoPRequest request = DPoPRequest.builder().method(FuzzKeys.METHOD).targetUri(FuzzKeys.HTU)
                .dpopHeaders(List.of(reproducer.substring(0, reproducer.indexOf('\\')))).build();
        assertThatThrownBy(() -> validators[SeedCorpus.DPOP_ONLY].validateTokenRequest(request, "fuzz-client"))
                .isInstanceOfSatisfying(DPoPException.class,
                        e -> assertThat(e.failedCheck()).contains(Check.PUBLIC_JWK));
    }

    /**
     * The input: the configuration in the last byte (modulo 4, so seeds end in an ASCII digit), then the
     * DPoP value up to a backslash that is not doubled, then the Authorization value.
     */
    @FuzzTest(maxDuration = "20s")
    void validate(FuzzedDataProvider data) {
        int config = data.consumeInt(0, SeedCorpus.TOKEN_REQUEST);
        String dpop = data.consumeString(MAX_DPOP_LENGTH);
        String authorization = data.consumeRemainingAsString();
        judge(dpop, authorization, config, true);
    }

    /** @return the input that {@link #validate} reads as these three values */
    static byte[] encode(String dpop, String authorization, int config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(dpop.replace("\\", "\\\\").getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\\;".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(authorization.getBytes(StandardCharsets.UTF_8));
        out.write('0' + config);
        return out.toByteArray();
    }

    private static void judge(String dpop, String authorization, int config, boolean timed) {
        store.reset();
        DPoPValidator validator = validators[config == SeedCorpus.TOKEN_REQUEST ? SeedCorpus.DPOP_ONLY : config];
        DPoPRequest request = DPoPRequest.builder()
                .method(FuzzKeys.METHOD)
                .targetUri(FuzzKeys.HTU)
                .dpopHeaders(dpop.isEmpty() ? List.of() : List.of(dpop))
                .authorizationHeaders(authorization.isEmpty() ? List.of() : List.of(authorization))
                .build();
        DPoPResult result = null;
        DPoPException failure = null;
        long start = THREADS.getCurrentThreadCpuTime();
        try {
            result = config == SeedCorpus.TOKEN_REQUEST ? validator.validateTokenRequest(request, "fuzz-client") : validator.validate(request);
        } catch (DPoPException e) {
            failure = e;
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - start;
        if (timed) {
            executions++;
            maxCpuNanos = Math.max(maxCpuNanos, cpu);
            if (cpu > CPU_BUDGET_NANOS) {
                throw new AssertionError(String.format("one validate call took %.1f ms of CPU, over the 100 ms budget",
                        cpu / 1e6));
            }
        }
        if (failure != null) {
            refused(validator, failure, dpop, authorization);
        } else {
            accepted(validator, request, result, dpop, config);
        }
    }

    private static void refused(DPoPValidator validator, DPoPException failure, String dpop, String authorization) {
        DPoPError error = failure.error();
        String check = failure.failedCheck().map(Enum::name).orElse("-");
        outcomes.merge(error + "/" + check, 1, Integer::sum);
        boolean storeRefused = error == DPoPError.TEMPORARILY_UNAVAILABLE && store.refusedSinceReset();
        if (!DOCUMENTED.contains(error) && !storeRefused) {
            throw new AssertionError("undocumented outcome " + error + " at check " + check + ": " + failure.description());
        }
        if (UNEXPECTED.contains(failure.description())) {
            throw new AssertionError("check " + check + " threw instead of answering; the validator logged: " + lastWarning);
        }
        String description = failure.description();
        for (int i = 0; i + ECHO_LENGTH <= description.length(); i++) {
            String window = description.substring(i, i + ECHO_LENGTH);
            if (dpop.contains(window) || authorization.contains(window)) {
                throw new AssertionError("the description of " + check + " repeats the input: " + description);
            }
        }
        HttpChallenge challenge = validator.challenge(failure);
        if (challenge.status() != error.status()) {
            throw new AssertionError("challenge status " + challenge.status() + " for " + error);
        }
        for (HttpChallenge.Header header : challenge.headers()) {
            if (header.value().chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
                throw new AssertionError("challenge header " + header.name() + " has a control character");
            }
        }
    }

    private static void accepted(DPoPValidator validator, DPoPRequest request, DPoPResult result, String dpop, int config) {
        outcomes.merge("accepted/" + result.scheme(), 1, Integer::sum);
        if (result.scheme() == AuthScheme.BEARER) {
            if (config != SeedCorpus.DPOP_OR_BEARER || result.accessToken().orElseThrow().jkt().isPresent()) {
                throw new AssertionError("a Bearer request was accepted in configuration " + config);
            }
            return;
        }
        DPoPBinding binding = result.binding().orElseThrow(() -> new AssertionError("a DPoP result without a binding"));
        PublicJsonWebKey key = keys.byThumbprint(binding.thumbprint());
        if (key == null) {
            throw new AssertionError("accepted a proof whose key is not the fixture's: " + binding.publicJwk());
        }
        if (!verifiesIndependently(dpop.trim(), key)) {
            throw new AssertionError("accepted a " + binding.algorithm() + " proof that jose4j does not verify");
        }
        try {
            if (config == SeedCorpus.TOKEN_REQUEST) {
                validator.validateTokenRequest(request, "fuzz-client");
            } else {
                validator.validate(request);
            }
        } catch (DPoPException replay) {
            if (replay.failedCheck().orElse(null) != Check.JTI_REPLAY) {
                throw new AssertionError("a replayed proof was refused at " + replay.failedCheck() + ", not JTI_REPLAY");
            }
            return;
        }
        throw new AssertionError("the same proof was accepted twice");
    }

    private static boolean verifiesIndependently(String compact, PublicJsonWebKey key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, "ES256", "ES384", "ES512",
                    "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA"));
            jws.setCompactSerialization(compact);
            jws.setKey(key.getPublicKey());
            return jws.verifySignature();
        } catch (JoseException e) {
            return false;
        }
    }
}
