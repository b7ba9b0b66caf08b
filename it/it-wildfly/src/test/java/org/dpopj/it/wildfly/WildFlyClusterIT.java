package org.dpopj.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.wildfly.app.ClusterEchoServlet;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real WildFly nodes on 127.0.0.1 sharing one replay store in WildFly's own Infinispan:
 * {@code standalone-ha.xml} configured by the README's CLI recipe ({@code src/test/wildfly/dpop-cluster.cli}:
 * JGroups over TCP with TCPPING, no multicast; a synchronous replicated cache {@code dpop/replay}
 * whose partition handling denies writes when a node loses the majority), port offsets 200 and 300,
 * node names {@code node-a} and {@code node-b}, started in parallel. Both deploy the same
 * {@code cluster.war}, whose only replay setting is {@code dpop.replay.store=infinispan} (plus the
 * {@code resource-env-ref} that makes WildFly start the cache with the deployment). Behind a load
 * balancer both nodes see the same public URL, so both have {@code dpop.htu.base-uri} set to it.
 *
 * <p>The scenarios run in order on the same two nodes: cross-node replay, 50 concurrent copies,
 * nonces shared by secret, node A stopped mid-run, and finally node A restarted and then killed, which
 * leaves node B alone in a minority partition: once B has noticed (ISPN000318), its cache denies
 * writes and every request gets 503; before that, no proof spent on A is accepted on B.
 */
@ExtendWith(LoopbackIssuerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyClusterIT {

    static final String PUBLIC_BASE = "https://api.example.test";
    static final String NONCE_SECRET = "a-cluster-wide-nonce-secret-of-more-than-32-bytes";
    static final String OTHER_SECRET = "another-nodes-nonce-secret-of-more-than-32-bytes!";
    static final int OFFSET_A = 200;
    static final int OFFSET_B = 300;
    static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(16))
            .build();
    private WildFlyNode nodeA;
    private WildFlyNode nodeB;
    private Path clusterDir;

    @BeforeAll
    void startTwoNodes() throws Exception {
        Instant started = Instant.now();
        Path home = Path.of(System.getProperty("it.server.home"));
        clusterDir = Path.of(System.getProperty("it.cluster.dir"));
        Path configured = configure(home, clusterDir.resolve("configured"));
        Path war = export(clusterWar("cluster", NONCE_SECRET), clusterDir);
        Path otherWar = export(clusterWar("cluster-other", OTHER_SECRET), clusterDir);
        List<String> peers = List.of("-Ddpop.cluster.peer1.port=" + (7600 + OFFSET_A), "-Ddpop.cluster.peer2.port=" + (7600 + OFFSET_B),
                "-Dit.issuer.url=" + issuer().issuer());
        nodeA = new WildFlyNode("node-a", home, clusterDir.resolve("node-a"), OFFSET_A, peers);
        nodeB = new WildFlyNode("node-b", home, clusterDir.resolve("node-b"), OFFSET_B, peers);
        nodeA.prepare(configured, war);
        nodeB.prepare(configured, war, otherWar);
        long markA = nodeA.logMark();
        long markB = nodeB.logMark();
        nodeA.start();
        nodeB.start();
        nodeA.awaitDeployed("cluster.war");
        nodeB.awaitDeployed("cluster.war", "cluster-other.war");
        awaitTwoMemberCache(nodeA, markA);
        awaitTwoMemberCache(nodeB, markB);
        System.out.println("[WildFlyClusterIT] two nodes configured, started and clustered in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    @AfterAll
    void stopBothNodes() {
        for (WildFlyNode node : new WildFlyNode[] {nodeA, nodeB}) {
            if (node != null) {
                node.stop();
            }
        }
    }

    /** Applies the README's CLI recipe once, offline, to a copy of {@code standalone/}. */
    private static Path configure(Path home, Path base) throws IOException, InterruptedException {
        if (Files.exists(base.resolve("configuration/standalone-ha.xml"))
                && Files.readString(base.resolve("configuration/standalone-ha.xml")).contains("dpop-peer-1")) {
            return base;
        }
        Files.createDirectories(base);
        try (var paths = Files.walk(home.resolve("standalone"))) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = base.resolve(home.resolve("standalone").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(source, target);
                }
            }
        }
        ProcessBuilder cli = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(),
                "--file=" + System.getProperty("it.cluster.cli"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("cli.log").toFile()));
        cli.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + base);
        Process process = cli.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("CLI recipe finished").isTrue();
        assertThat(process.exitValue()).as("CLI recipe: see " + base.resolve("cli.log")).isZero();
        // a fresh node keeps nothing of the embedded run but its configuration
        for (String transient_ : List.of("data", "tmp", "log")) {
            deleteTree(base.resolve(transient_));
        }
        return base;
    }

    private static WebArchive clusterWar(String name, String nonceSecret) {
        String issuer = issuer().issuer();
        Map<String, String> shared = Map.of(
                "dpop.token.issuer", issuer,
                "dpop.token.jwks-uri", issuer + "/jwks",
                "dpop.token.audience", LoopbackIssuer.AUDIENCE,
                "dpop.htu.base-uri", PUBLIC_BASE,
                "dpop.replay.store", "infinispan");
        String contextParams = shared.entrySet().stream()
                .map(e -> "<context-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue()
                        + "</param-value></context-param>\n")
                .collect(Collectors.joining());
        StringBuilder nonceParams = new StringBuilder();
        shared.forEach((key, value) -> nonceParams.append(initParam(key, value)));
        nonceParams.append(initParam("dpop.nonce.mode", "required"))
                .append(initParam("dpop.nonce.secret", nonceSecret))
                .append(initParam("dpop.nonce.step", "60s"));
        String webXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
                + contextParams
                + "<filter><filter-name>api</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class></filter>\n"
                + "<filter-mapping><filter-name>api</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>\n"
                + "<filter><filter-name>nonce</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class>\n"
                + nonceParams + "</filter>\n"
                + "<filter-mapping><filter-name>nonce</filter-name><url-pattern>/nonce/*</url-pattern></filter-mapping>\n"
                // WildFly starts a cache on demand: this reference makes it start the cache with the deployment
                + "<resource-env-ref><resource-env-ref-name>dpop/replay</resource-env-ref-name>"
                + "<resource-env-ref-type>org.infinispan.Cache</resource-env-ref-type>"
                + "<lookup-name>java:jboss/infinispan/cache/dpop/replay</lookup-name></resource-env-ref>\n"
                + "</web-app>\n";
        return Deployments.war(name)
                .addClass(ClusterEchoServlet.class)
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsLibraries(Deployments.librariesExcept("dpop-cdi", "dpop-jaxrs"))
                .addAsLibraries(clusterLibraries());
    }

    /** dpop-infinispan, kept out of the other WARs: {@code target/cluster-lib}. */
    private static java.io.File[] clusterLibraries() {
        try (var jars = Files.list(Path.of(System.getProperty("it.cluster.lib.dir")))) {
            java.io.File[] found = jars.filter(jar -> jar.getFileName().toString().startsWith("dpop-infinispan-"))
                    .map(Path::toFile).toArray(java.io.File[]::new);
            assertThat(found).as("dpop-infinispan in it.cluster.lib.dir").hasSize(1);
            return found;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String initParam(String name, String value) {
        return "<init-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></init-param>\n";
    }

    private static Path export(WebArchive war, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(war.getName());
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    private static void awaitTwoMemberCache(WildFlyNode node, long mark) throws IOException {
        // ISPN100010: Finished rebalance with members [node-a, node-b] (the replay cache's, on both nodes)
        node.awaitLogLine(mark, line -> line.contains("ISPN100010") && line.contains("replay")
                && line.contains("node-a") && line.contains("node-b"), CLUSTER_TIMEOUT);
    }

    private static LoopbackIssuer issuer() {
        return LoopbackIssuerExtension.issuer();
    }

    // ---- requests --------------------------------------------------------------------------------

    /** A bound token and one proof for {@code path}, as a client would send to the public URL. */
    private record Call(String token, String proof, String path) {
    }

    private static Call call(DPoPKey key, String path) {
        return call(key, path, null);
    }

    private static Call call(DPoPKey key, String path, String nonce) {
        String token = issuer().accessToken().boundTo(key.thumbprint()).jwt();
        DPoPKey.ProofBuilder proof = key.proof().htm("GET").htu(PUBLIC_BASE + path).accessToken(token);
        if (nonce != null) {
            proof.nonce(nonce);
        }
        return new Call(token, proof.sign(), path);
    }

    private HttpRequest request(WildFlyNode node, Call call) {
        return HttpRequest.newBuilder(node.http().resolve(call.path().substring(1)))
                .timeout(Duration.ofSeconds(45))
                .header("Authorization", "DPoP " + call.token())
                .header("DPoP", call.proof())
                .GET().build();
    }

    private HttpResponse<String> send(WildFlyNode node, Call call) {
        try {
            return http.send(request(node, call), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(node.name() + " " + call.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the scenarios ---------------------------------------------------------------------------

    @Test
    @Order(1)
    void aProofAcceptedOnNodeAIsRefusedOnNodeB() {
        Call call = call(DPoPKey.es256(), "/cluster/api/x");

        HttpResponse<String> onA = send(nodeA, call);
        HttpResponse<String> onB = send(nodeB, call);

        assertThat(onA.statusCode()).as(onA.body()).isEqualTo(200);
        assertThat(onA.body()).startsWith("node=node-a");
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(401);
        assertThat(onB.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_dpop_proof");
    }

    @Test
    @Order(2)
    void fiftyConcurrentCopiesOverBothNodesGiveExactlyOneSuccess() {
        Call call = call(DPoPKey.es256(), "/cluster/api/x");
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            responses.add(http.sendAsync(request(i % 2 == 0 ? nodeA : nodeB, call), HttpResponse.BodyHandlers.ofString()));
        }

        List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses.stream().filter(status -> status / 100 == 2).count()).as(statuses.toString()).isEqualTo(1);
        assertThat(statuses).as("the others are replays").containsOnly(200, 401);
    }

    @Test
    @Order(3)
    void aNonceIssuedByNodeAIsAcceptedByNodeBAndRefusedWhereTheSecretDiffers() {
        DPoPKey key = DPoPKey.es256();
        HttpResponse<String> challenge = send(nodeA, call(key, "/cluster/nonce/x"));
        assertThat(challenge.statusCode()).isEqualTo(401);
        String nonce = challenge.headers().firstValue("DPoP-Nonce").orElseThrow();

        HttpResponse<String> onB = send(nodeB, call(key, "/cluster/nonce/x", nonce));
        HttpResponse<String> otherSecret = send(nodeB, call(key, "/cluster-other/nonce/x", nonce));

        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        assertThat(onB.body()).startsWith("node=node-b");
        assertThat(otherSecret.statusCode()).isEqualTo(401);
        assertThat(otherSecret.headers().firstValue("WWW-Authenticate")).get().asString().contains("use_dpop_nonce");
    }

    @Test
    @Order(4)
    void stoppingNodeAMidRunLosesNoReplayProtectionOnNodeB() throws Exception {
        DPoPKey key = DPoPKey.es256();
        List<Call> spentOnA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Call call = call(key, "/cluster/api/x");
            assertThat(send(nodeA, call).statusCode()).isEqualTo(200);
            spentOnA.add(call);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> acceptedReplays = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> freshStatuses = new ConcurrentLinkedQueue<>();
        // four clients replay A's proofs to B (and send fresh ones) while A stops: writes whose
        // primary owner is leaving are retried by Infinispan in the new topology, where a retried
        // putIfAbsent once took a replay for its own earlier attempt (see InfinispanReplayStore)
        List<Thread> traffic = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t * 5;
            traffic.add(new Thread(() -> {
                int i = first;
                while (running.get()) {
                    Call replay = spentOnA.get(i++ % spentOnA.size());
                    HttpResponse<String> replayed = send(nodeB, replay);
                    if (replayed.statusCode() / 100 == 2) {
                        acceptedReplays.add(replayed.body());
                    }
                    freshStatuses.add(send(nodeB, call(key, "/cluster/api/x")).statusCode());
                }
            }, "traffic-to-node-b-" + t));
        }
        traffic.forEach(Thread::start);
        WildFlyNode.sleep(500);
        nodeA.stop();
        WildFlyNode.sleep(1500);
        running.set(false);
        for (Thread thread : traffic) {
            thread.join(60_000);
        }

        assertThat(acceptedReplays).as("proofs spent on A replayed on B while A stopped").isEmpty();
        for (Call call : spentOnA) {
            assertThat(send(nodeB, call).statusCode()).as("replay on B after A stopped").isEqualTo(401);
        }
        Call fresh = call(key, "/cluster/api/x");
        assertThat(send(nodeB, fresh).statusCode()).as("a fresh proof on B alone").isEqualTo(200);
        assertThat(send(nodeB, fresh).statusCode()).as("and its replay").isEqualTo(401);
        assertThat(freshStatuses).as("fresh proofs on B during the stop").contains(200);
        System.out.println("[WildFlyClusterIT] fresh proofs on B while A stopped: " + freshStatuses);
    }

    @Test
    @Order(5)
    void whileTheStoreIsUnreachableNodeBFailsClosedWith503() throws Exception {
        // node A back: B and A form the two-member cache again
        long markA = nodeA.logMark();
        long markB = nodeB.logMark();
        nodeA.start();
        nodeA.awaitDeployed("cluster.war");
        awaitTwoMemberCache(nodeA, markA);
        awaitTwoMemberCache(nodeB, markB);
        DPoPKey key = DPoPKey.es256();
        Call before = call(key, "/cluster/api/x");
        assertThat(send(nodeA, before).statusCode()).as("A serves again").isEqualTo(200);

        // A crashes (SIGKILL): B cannot tell a crash from a network split, is left with half of the
        // cluster, and its cache (when-split=DENY_READ_WRITES) denies every write once it has noticed
        long mark = nodeB.logMark();
        nodeA.kill();
        List<Integer> detecting = new ArrayList<>();
        List<Integer> replaysWhileDetecting = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        while (nodeB.linesSince(mark).stream().noneMatch(line -> line.contains("ISPN000318") && line.contains("replay"))) {
            assertThat(Instant.now()).as("B enters degraded mode within a minute").isBefore(deadline);
            replaysWhileDetecting.add(send(nodeB, before).statusCode());
            detecting.add(send(nodeB, call(key, "/cluster/api/x")).statusCode());
        }
        List<HttpResponse<String>> whileDegraded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            whileDegraded.add(send(nodeB, call(DPoPKey.es256(), "/cluster/api/x")));
        }

        assertThat(replaysWhileDetecting).as("a proof spent on A, replayed on B after the crash").doesNotContain(200);
        assertThat(whileDegraded).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).doesNotContain("Exception");
        });
        assertThat(send(nodeB, before).statusCode()).as("a replay is refused too").isIn(401, 503);
        // between the crash and its detection B still sees A in the view: a write whose copy to A
        // fails is kept on B (nothing can be accepted on a dead A), so fresh proofs may still pass
        System.out.println("[WildFlyClusterIT] fresh proofs on B between A's crash and B's degraded mode: " + detecting
                + "; replays of a proof spent on A: " + replaysWhileDetecting);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
