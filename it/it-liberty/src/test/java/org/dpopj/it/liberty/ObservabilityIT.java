package org.dpopj.it.liberty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.OtlpMetricsReceiver;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.alone.app.WhoAmIServlet;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * dpop-observability on Open Liberty with {@code mpTelemetry-2.0} and {@code mpHealth-4.0}: the
 * application's OpenTelemetry SDK (enabled by the WAR's own MicroProfile Config) exports the metrics
 * over OTLP/HTTP to a receiver in this JVM, whose counts are checked after accepted and refused
 * requests; a small replay store (20 entries, 4 s window) filled by one key shows in
 * {@code dpop.replay.*} and turns readiness DOWN until its entries expire; the readiness check turns
 * DOWN when the WAR's issuer stops and UP when it is back.
 * The WAR's issuer is one of its own (not the suite's shared one), so that stopping it disturbs no
 * other scenario. The test deploys the WAR itself to the location of a {@code webApplication} in
 * server.xml, because only a configured application can be given a class loader that sees the
 * OpenTelemetry API (a third-party API to Liberty); Arquillian (through {@code @ServerTest}) only starts
 * the server.
 */
@ServerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

    /** Ports on 127.0.0.1 next to the suite's issuer (18380): this WAR's issuer and the OTLP receiver. */
    private static final int ISSUER_PORT = 18381;
    private static final int OTLP_PORT = 18382;
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /**
     * The WAR's replay store: small, one key may fill it, and a 4 s acceptance window (3 s max-age,
     * 1 s skew) so that a full store empties within the test's patience.
     */
    private static final int REPLAY_CAPACITY = 20;

    private static volatile LoopbackIssuer issuer = LoopbackIssuer.start(ISSUER_PORT);
    private static final OtlpMetricsReceiver receiver = OtlpMetricsReceiver.start(OTLP_PORT);

    private static final Path WAR = Path.of(System.getProperty("it.server.config.dir"), "observability-it", "observability.war");
    private static final URL base = url("http://127.0.0.1:" + System.getProperty("it.http.port") + "/observability/");

    private static URL url(String text) {
        try {
            return URI.create(text).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /**
     * Puts the WAR where server.xml's {@code webApplication} expects it (the server, started by Arquillian
     * before this runs, polls for it) and waits until it answers.
     */
    @BeforeAll
    static void deploy() throws Exception {
        Files.createDirectories(WAR.getParent());
        Path partial = WAR.resolveSibling("observability.war.part");
        observability().as(ZipExporter.class).exportTo(partial.toFile(), true);
        Files.move(partial, WAR, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // the first 401 is the first decision of the application's validator: one refusal for missing credentials
        await("the observability application answers", () -> send("GET", whoami()).statusCode() == 401);
    }

    static WebArchive observability() {
        String issuerUrl = "http://127.0.0.1:" + ISSUER_PORT;
        String config = String.join("\n",
                "dpop.token.issuer=" + issuerUrl,
                "dpop.token.jwks-uri=" + issuerUrl + "/jwks",
                "dpop.token.audience=" + LoopbackIssuer.AUDIENCE,
                "dpop.replay.max-entries=" + REPLAY_CAPACITY,
                "dpop.replay.max-per-key=" + REPLAY_CAPACITY,
                "dpop.proof.max-age=3s",
                "dpop.clock-skew=1s",
                // Liberty's OpenTelemetry SDK of this application only, metrics only, every 500 ms
                "otel.sdk.disabled=false",
                "otel.service.name=dpopj-it-observability",
                "otel.traces.exporter=none",
                "otel.logs.exporter=none",
                "otel.metrics.exporter=otlp",
                "otel.exporter.otlp.protocol=http/protobuf",
                "otel.exporter.otlp.metrics.endpoint=" + receiver.endpoint(),
                "otel.metric.export.interval=500") + "\n";
        return Deployments.war("observability")
                .addClass(WhoAmIServlet.class)
                .addAsWebInfResource(Deployments.filterWebXml("/servlet/*"), "web.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries())
                .addAsLibraries(Deployments.libraries("dpop-observability"));
    }

    /** Removes the WAR and waits until the server has stopped the application (it logs CWWKZ0059E once). */
    @AfterAll
    static void undeploy() throws Exception {
        try {
            Files.deleteIfExists(WAR);
            await("the observability application stops", () -> send("GET", whoami()).statusCode() == 404);
        } finally {
            issuer.close();
            receiver.close();
        }
    }

    private static URI whoami() {
        return TestHttp.uri(base, "servlet/whoami");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    /** @return the condition, false while the server does not answer (its HTTP port opens after it started) */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }

    @Test
    @Order(1)
    void exportsValidationsByOutcomeAndCheckChallengesIssuerCallsAndTimes() throws InterruptedException {
        DPoPKey key = DPoPKey.es256();
        String token = issuer.accessToken().boundTo(key.thumbprint()).jwt();
        for (int i = 0; i < 3; i++) {
            assertThat(getWithDPoP(key, whoami(), token).statusCode()).isEqualTo(200);
        }
        String otherHtu = key.proof().htm("GET").htu(TestHttp.uri(base, "servlet/other").toString()).accessToken(token).sign();
        assertRefused(send("GET", whoami(), "Authorization", "DPoP " + token, "DPoP", otherHtu), 401, "invalid_dpop_proof");
        String proof = key.proof().htm("GET").htu(whoami().toString()).accessToken(token).sign();
        assertThat(send("GET", whoami(), "Authorization", "DPoP " + token, "DPoP", proof).statusCode()).isEqualTo(200);
        assertRefused(send("GET", whoami(), "Authorization", "DPoP " + token, "DPoP", proof), 401, "invalid_dpop_proof");

        assertRefused(send("GET", whoami()), 401, null);

        // 4 accepted; refused: 2 without credentials (one when deploy() saw the application up), htu, replay
        await("7+1 validation times exported",
                () -> receiver.value("dpop.validation.duration", "outcome=accepted") == 4
                        && receiver.value("dpop.validation.duration", "outcome=rejected") == 4);
        assertThat(receiver.value("dpop.validations", "outcome=accepted", "scheme=dpop")).isEqualTo(4);
        assertThat(receiver.value("dpop.validations", "outcome=rejected", "error=missing_credentials")).isEqualTo(2);
        assertThat(receiver.value("dpop.validations", "outcome=rejected", "scheme=dpop", "check=htu",
                "error=invalid_dpop_proof")).isEqualTo(1);
        assertThat(receiver.value("dpop.validations", "outcome=rejected", "scheme=dpop", "check=jti_replay",
                "error=invalid_dpop_proof")).isEqualTo(1);
        assertThat(receiver.points("dpop.validations")).as("no other points").hasSize(4);
        assertThat(receiver.points("dpop.challenges")).containsExactly(java.util.Map.entry("nonce=false", 4.0));
        assertThat(receiver.value("dpop.issuer.calls", "endpoint=jwks", "outcome=success")).isEqualTo(1);
    }

    private static HttpResponse<String> readiness(URL base) {
        return TestHttp.get(URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/health/ready"));
    }

    @Test
    @Order(3)
    void readinessTurnsDownWhenTheIssuerStopsAndUpWhenItIsBack() throws InterruptedException {
        HttpResponse<String> up = readiness(base);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).contains("\"dpop\"").contains("replay-store");

        issuer.close();
        long stopped = System.nanoTime();
        await("readiness DOWN after the issuer stopped", () -> readiness(base).statusCode() == 503);
        long downAfterMillis = (System.nanoTime() - stopped) / 1_000_000;
        HttpResponse<String> down = readiness(base);
        assertThat(down.body()).contains("\"dpop\"").contains("DOWN").contains("/jwks unreachable");

        issuer = LoopbackIssuer.start(ISSUER_PORT);
        long restarted = System.nanoTime();
        await("readiness UP after the issuer restarted", () -> readiness(base).statusCode() == 200);
        long upAfterMillis = (System.nanoTime() - restarted) / 1_000_000;
        System.out.println("ObservabilityIT: readiness DOWN " + downAfterMillis + " ms after the issuer stopped, UP "
                + upAfterMillis + " ms after it restarted");
        assertThat(downAfterMillis).isLessThan(5_000);
        assertThat(upAfterMillis).isLessThan(5_000);
    }

    /** Runs before the issuer restarts: the restarted issuer signs with new keys under the same key ids. */
    @Test
    @Order(2)
    void exportsTheReplayStoreFillLevelAndReadinessIsDownWhileTheStoreIsFull() throws InterruptedException {
        DPoPKey key = DPoPKey.es256();
        String token = issuer.accessToken().boundTo(key.thumbprint()).jwt();
        int accepted = 0;
        int status = 200;
        while (status == 200 && accepted <= REPLAY_CAPACITY) {
            status = getWithDPoP(key, whoami(), token).statusCode();
            accepted += status == 200 ? 1 : 0;
        }
        assertThat(status).as("the request after " + accepted + " accepted ones").isEqualTo(503);
        assertThat(accepted).isBetween(1, REPLAY_CAPACITY);

        // nothing calls the store until readiness does, so the count stays at the bound
        await("the full store exported", () -> receiver.value("dpop.replay.refusals") == 1
                && receiver.value("dpop.replay.entries") == REPLAY_CAPACITY);
        assertThat(receiver.value("dpop.replay.capacity")).isEqualTo(REPLAY_CAPACITY);
        assertThat(receiver.value("dpop.replay.warnings")).as("one crossing of 80%").isEqualTo(1);
        await("the refusal counted as a validation", () -> receiver.value("dpop.validations", "outcome=rejected",
                "scheme=dpop", "check=jti_replay", "error=temporarily_unavailable") == 1);

        HttpResponse<String> full = readiness(base);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
        assertThat(full.body()).contains("full: refuses new entries").containsPattern("\"replay-capacity\"\\s*:\\s*" + REPLAY_CAPACITY);

        // the store forgets expired entries lazily, when it is next called: here by each readiness probe
        long filled = System.nanoTime();
        await("readiness UP and the emptied store exported once the entries expired", () -> readiness(base).statusCode() == 200
                && receiver.value("dpop.replay.entries") < REPLAY_CAPACITY * 0.7);
        System.out.println("ObservabilityIT: readiness UP and the store below 70% " + (System.nanoTime() - filled) / 1_000_000
                + " ms after the replay store was full (4 s acceptance window)");
        HttpResponse<String> again = getWithDPoP(key, whoami(), token);
        assertThat(again.statusCode()).as(again.headers().map() + " " + again.body()).isEqualTo(200);
        assertThat(receiver.value("dpop.replay.warnings")).as("no new crossing").isEqualTo(1);
    }
}
