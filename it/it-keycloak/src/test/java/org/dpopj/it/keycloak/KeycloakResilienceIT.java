package org.dpopj.it.keycloak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.token.AccessTokenResolvers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator (in-process {@link DPoPValidator}, as an application would build it from settings)
 * against a real Keycloak issuing DPoP-bound RS256 {@code at+jwt} tokens: a realm key rotated while
 * traffic runs, Keycloak stopped and started again, and a key removed. Each phase prints what it
 * measured; every loop is bounded in count and time. Only 127.0.0.1 is called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(KeycloakExtension.class)
class KeycloakResilienceIT {

    private static final String AUDIENCE = KeycloakExtension.AUDIENCE;
    private static final String RESOURCE = "https://api.dpopj.test/orders";
    private static final Duration STEP = Duration.ofMillis(150);

    private final List<DPoPValidator> validators = new ArrayList<>();
    private KeycloakServer keycloak;
    private DPoPClient client;
    /** A token signed with the realm's first key, kept for the key-removal phase. */
    private String firstKeyToken;
    private String firstKeyProvider;
    /** Default settings: the rotation validator, whose key set lives 10 minutes. */
    private DPoPValidator rotation;
    /** JWKS cache 2 s and no staleness allowance, so that an issuer outage is seen at once. */
    private DPoPValidator shortCache;
    /** Introspection without an answer cache: every request asks Keycloak. */
    private DPoPValidator introspection;
    /** The check and description of the last refusal, for assertion messages (never the token). */
    private volatile String lastRefusal = "-";

    @BeforeAll
    void buildValidators() throws Exception {
        KeycloakExtension.Realm realm = KeycloakExtension.realm();
        keycloak = realm.server();
        client = realm.newClient();
        rotation = validator("rotation", Map.of());
        shortCache = validator("short-cache", Map.of(
                AccessTokenResolvers.JWKS_CACHE, "2s",
                AccessTokenResolvers.JWKS_MAX_STALENESS, "0s"));
        introspection = validator("introspection", Map.of(
                AccessTokenResolvers.INTROSPECTION_URI, keycloak.introspectionEndpoint().toString(),
                AccessTokenResolvers.INTROSPECTION_CLIENT_ID, AUDIENCE,
                AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET, realm.resourceServerSecret(),
                AccessTokenResolvers.INTROSPECTION_CACHE, "0s"));
    }

    @AfterAll
    void closeValidators() {
        // Keycloak itself is stopped by KeycloakExtension when the whole run ends
        validators.forEach(DPoPValidator::close);
    }

    private DPoPValidator validator(String name, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                AccessTokenResolvers.ISSUER, keycloak.issuer(),
                AccessTokenResolvers.AUDIENCE, AUDIENCE,
                DPoPSettings.REPLAY_CACHE, "dpopj-it-keycloak-" + name));
        settings.putAll(extra);
        DPoPValidator validator = DPoPValidator.builder().settings(DPoPSettings.from(settings)).build();
        validators.add(validator);
        return validator;
    }

    /** @return the status the resource server answers a request with this token and a fresh proof */
    private int call(DPoPValidator validator, String accessToken) {
        DPoPRequest request = DPoPRequest.builder()
                .method("GET")
                .targetUri(RESOURCE)
                .dpopHeaders(List.of(client.proof("GET", RESOURCE, accessToken)))
                .authorizationHeaders(List.of("DPoP " + accessToken))
                .build();
        try {
            validator.validate(request);
            return 200;
        } catch (DPoPException e) {
            lastRefusal = e.failedCheck().map(Enum::name).orElse("-") + ": " + e.description();
            HttpChallenge challenge = validator.challenge(e);
            if (challenge.status() == 503) {
                // the README's error table: Retry-After (dpop.retry-after, 5 s), no WWW-Authenticate
                assertThat(challenge.header("Retry-After")).contains("5");
                assertThat(challenge.header("WWW-Authenticate")).isEmpty();
            }
            return challenge.status();
        }
    }

    @Test
    @Order(1)
    void rotatedRealmKeyNeverGivesAValidToken401() throws Exception {
        firstKeyToken = client.accessToken();
        firstKeyProvider = keycloak.rsaKeyProviders().get(0);
        String firstKid = Jwts.kid(firstKeyToken);
        assertThat(call(rotation, firstKeyToken)).as(() -> lastRefusal).isEqualTo(200);

        long start = System.nanoTime();
        int forgedStatus = 0;
        long rotatedAt = -1;
        List<long[]> newKeySamples = new ArrayList<>();
        int validRequests = 0;
        int valid401 = 0;
        Set<String> kids = new LinkedHashSet<>();
        for (int i = 0; i < 200 && Jwts.millisSince(start) < 17_000; i++) {
            long now = Jwts.millisSince(start);
            if (forgedStatus == 0 && now >= 6_000) {
                // a made-up kid 1 s before the rotation: its refresh makes the next one wait the rate limit
                forgedStatus = call(rotation, Jwts.withKid(firstKeyToken, "forged-" + UUID.randomUUID()));
            }
            if (rotatedAt < 0 && now >= 7_000) {
                keycloak.rotateKey("rsa-rotated");
                rotatedAt = Jwts.millisSince(start);
            }
            String token = client.accessToken();
            int status = call(rotation, token);
            validRequests++;
            kids.add(Jwts.kid(token));
            if (status == 401) {
                valid401++;
            }
            if (!Jwts.kid(token).equals(firstKid)) {
                newKeySamples.add(new long[] {Jwts.millisSince(start), status});
            }
            Thread.sleep(STEP.toMillis());
        }

        long first503 = newKeySamples.stream().filter(s -> s[1] == 503).mapToLong(s -> s[0]).min().orElse(-1);
        long last503 = newKeySamples.stream().filter(s -> s[1] == 503).mapToLong(s -> s[0]).max().orElse(-1);
        long firstAccepted = newKeySamples.stream().filter(s -> s[1] == 200).mapToLong(s -> s[0]).min().orElse(-1);
        long count503 = newKeySamples.stream().filter(s -> s[1] == 503).count();
        System.out.printf("[rotation] %d valid-token requests, %d kids, 401 for valid tokens: %d; forged kid: %d;"
                        + " rotated at %d ms; new-key 503s: %d (first %d ms, last %d ms); first new-key 200 at %d ms"
                        + " (%d ms after the rotation)%n", validRequests, kids.size(), valid401, forgedStatus,
                rotatedAt, count503, first503, last503, firstAccepted, firstAccepted - rotatedAt);

        assertThat(kids).hasSize(2);
        assertThat(valid401).isZero();
        assertThat(forgedStatus).isEqualTo(401);
        assertThat(firstAccepted).isPositive();
        assertThat(firstAccepted - rotatedAt).isLessThan(8_000);
    }

    @Test
    @Order(2)
    void issuerRestartGives503ThenRecoversWithinSecondsAndLogsOnePairOfWarnings() throws Exception {
        String token = client.accessToken();
        assertThat(call(shortCache, token)).as(() -> lastRefusal).isEqualTo(200);
        assertThat(call(introspection, token)).as(() -> lastRefusal).isEqualTo(200);

        try (CapturedWarnings warnings = new CapturedWarnings()) {
            ScheduledRestart outage = new ScheduledRestart(keycloak, 2_000, 4_000);
            Map<String, List<long[]>> samples = Map.of("jwt", new ArrayList<>(), "introspection", new ArrayList<>());
            try {
                for (int i = 0; i < 600 && outage.elapsed() < 90_000; i++) {
                    outage.tick();
                    samples.get("jwt").add(new long[] {outage.elapsed(), call(shortCache, token)});
                    samples.get("introspection").add(new long[] {outage.elapsed(), call(introspection, token)});
                    if (outage.ready() >= 0 && outage.elapsed() > outage.ready() + 6_000) {
                        break;
                    }
                    Thread.sleep(STEP.toMillis());
                }
            } finally {
                outage.close();
            }
            long stoppedAt = outage.stoppedAt();
            long ready = outage.ready();

            assertThat(ready).as("Keycloak answered again").isPositive();
            for (Map.Entry<String, List<long[]>> entry : samples.entrySet()) {
                List<long[]> list = entry.getValue();
                long finalReady = ready;
                long first503 = list.stream().filter(s -> s[1] == 503).mapToLong(s -> s[0]).min().orElse(-1);
                long recovered = list.stream().filter(s -> s[0] >= finalReady && s[1] == 200)
                        .mapToLong(s -> s[0]).min().orElse(-1);
                long count401 = list.stream().filter(s -> s[1] == 401).count();
                System.out.printf("[restart/%s] stopped at %d ms, first 503 at %d ms, Keycloak ready at %d ms,"
                                + " first 200 at %d ms: %d ms of 503 after Keycloak was back; %d requests, %d 401s%n",
                        entry.getKey(), stoppedAt, first503, ready, recovered, recovered - ready, list.size(), count401);
                assertThat(count401).isZero();
                assertThat(first503).isPositive();
                assertThat(recovered).isPositive();
                assertThat(recovered - ready).isLessThan(8_000);
            }
            warnings.records().forEach(line -> System.out.println("[restart/log] " + line));
            assertThat(warnings.records()).filteredOn(line -> line.contains("JwtAccessTokenResolver"))
                    .hasSize(2);
            assertThat(warnings.records()).filteredOn(line -> line.contains("IntrospectionAccessTokenResolver"))
                    .hasSize(2);
            assertThat(warnings.records()).filteredOn(line -> line.contains("DPoPValidator")).isEmpty();
        }
    }

    @Test
    @Order(3)
    void removedKeyIsRefusedOnceTheJwksCacheTimeHasPassed() throws Exception {
        assertThat(call(shortCache, firstKeyToken)).as(() -> lastRefusal).isEqualTo(200);
        keycloak.removeKeyProvider(firstKeyProvider);
        long removed = System.nanoTime();
        int status = 200;
        long refusedAfter = -1;
        for (int i = 0; i < 100 && Jwts.millisSince(removed) < 15_000 && status == 200; i++) {
            status = call(shortCache, firstKeyToken);
            if (status != 200) {
                refusedAfter = Jwts.millisSince(removed);
            }
            Thread.sleep(100);
        }
        int longCache = call(rotation, firstKeyToken);
        int newKey = call(shortCache, client.accessToken());
        System.out.printf("[removal] token of the removed key refused with %d after %d ms (JWKS cache 2 s);"
                + " still %d with the 10-minute cache; token of the remaining key: %d%n", status, refusedAfter,
                longCache, newKey);

        assertThat(status).isEqualTo(401);
        assertThat(refusedAfter).isLessThan(2_000 + 1_000);
        assertThat(longCache).isEqualTo(200);
        assertThat(newKey).isEqualTo(200);
    }

    /** The library's WARNING lines while open, as "logger: message". */
    private static final class CapturedWarnings extends Handler implements AutoCloseable {
        private static final List<String> LOGGERS = List.of("org.dpopj.core.token.JwtAccessTokenResolver",
                "org.dpopj.core.token.IntrospectionAccessTokenResolver", "org.dpopj.core.DPoPValidator");
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        CapturedWarnings() {
            setLevel(Level.WARNING);
            LOGGERS.forEach(name -> Logger.getLogger(name).addHandler(this));
        }

        List<String> records() {
            return List.copyOf(lines);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                lines.add(record.getLoggerName() + ": " + formatter.formatMessage(record)
                        + (record.getThrown() == null ? "" : " [with stack trace]"));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            LOGGERS.forEach(name -> Logger.getLogger(name).removeHandler(this));
        }
    }
}
