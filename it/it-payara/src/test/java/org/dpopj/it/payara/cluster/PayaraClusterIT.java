package org.dpopj.it.payara.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.payara.app.HazelcastInfoServlet;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three real Payara Micro nodes on 127.0.0.1, each deploying the same WAR, whose replay store is
 * configured by one setting, {@code dpop.replay.provider=payara}:
 * <ul>
 * <li>A and B form one cluster through their data grids (TCP-IP join on loopback) and share the
 *     nonce secret ({@code dpop.nonce.secret}, a system property of each node);</li>
 * <li>C is a node cut off from its cluster: alone in its data grid, with another nonce secret and
 *     {@code dpop.replay.min-members=2}, so its replay store is unreachable by the cluster's rule and
 *     must fail closed.</li>
 * </ul>
 * Proofs name the load balancer's public URL ({@code dpop.htu.base-uri}), so one proof is valid on
 * every node, as behind a real load balancer. Node A is killed (SIGKILL) by the last scenario.
 */
@ExtendWith(LoopbackIssuerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraClusterIT {

    private static final String PUBLIC_BASE = "https://api.example.test";
    private static final String SECRET = "cluster-secret-0123456789-abcdefghijklmnop";
    private static final String OTHER_SECRET = "another-secret-0123456789-abcdefghijklmnop";
    private static final String GRID = "127.0.0.1:6910,127.0.0.1:6911";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private static PayaraNode nodeA;
    private static PayaraNode nodeB;
    private static PayaraNode nodeC;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startNodes() throws Exception {
        Path war = exportWar();
        long started = System.nanoTime();
        String issuer = "-Dit.issuer.url=http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        nodeA = PayaraNode.start(new PayaraNode.Spec("payara-node-a", 8281, 6910, "dpop-cluster", GRID,
                List.of(issuer, "-Ddpop.nonce.secret=" + SECRET)), war);
        nodeC = PayaraNode.start(new PayaraNode.Spec("payara-node-c", 8283, 6920, "dpop-isolated", "127.0.0.1:6920",
                List.of(issuer, "-Ddpop.nonce.secret=" + OTHER_SECRET, "-Ddpop.replay.min-members=2")), war);
        // B joins once A's data grid listens, so that it joins A instead of forming a cluster of its own
        nodeA.awaitGrid(START_TIMEOUT);
        nodeB = PayaraNode.start(new PayaraNode.Spec("payara-node-b", 8282, 6911, "dpop-cluster", GRID,
                List.of(issuer, "-Ddpop.nonce.secret=" + SECRET)), war);
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> nodeA.awaitApplication("hazelcast-info", START_TIMEOUT)),
                CompletableFuture.runAsync(() -> nodeB.awaitApplication("hazelcast-info", START_TIMEOUT)),
                CompletableFuture.runAsync(() -> nodeC.awaitApplication("hazelcast-info", START_TIMEOUT))).get();
        System.out.printf("PayaraClusterIT: three Payara Micro nodes up in %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    @AfterAll
    static void stopNodes() {
        // in parallel, and each even if another fails to stop
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PayaraNode node : new PayaraNode[] {nodeA, nodeB, nodeC}) {
            if (node != null) {
                stops.add(CompletableFuture.runAsync(node::close));
            }
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    }

    private static Path exportWar() throws Exception {
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>dpop</filter-name>
                    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                  </filter>
                  <filter-mapping><filter-name>dpop</filter-name><url-pattern>/hz/*</url-pattern></filter-mapping>
                  <filter>
                    <filter-name>dpop-nonce</filter-name>
                    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                    <init-param><param-name>dpop.nonce.mode</param-name><param-value>required</param-value></init-param>
                  </filter>
                  <filter-mapping><filter-name>dpop-nonce</filter-name><url-pattern>/nonce/*</url-pattern></filter-mapping>
                </web-app>
                """;
        WebArchive war = Deployments.war("cluster")
                .addPackage(HazelcastInfoServlet.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.replay.provider=payara", "dpop.htu.base-uri=" + PUBLIC_BASE),
                        "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
        Path file = Path.of(System.getProperty("it.build.dir", "target"), "payara-cluster.war");
        Files.deleteIfExists(file);
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    private static String token(DPoPKey key) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).jwt();
    }

    /** A proof for {@code path} at the public URL, valid on every node. */
    private static String proof(DPoPKey key, String path, String token, String nonce) {
        DPoPKey.ProofBuilder builder = key.proof().htm("GET").htu(PUBLIC_BASE + "/cluster/" + path).accessToken(token);
        if (nonce != null) {
            builder.nonce(nonce);
        }
        return builder.sign();
    }

    private static HttpRequest request(PayaraNode node, String path, String token, String proof) {
        return HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(60)).GET()
                .header("Authorization", "DPoP " + token).header("DPoP", proof).build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + request.uri() + " failed", e);
        }
    }

    private static Map<String, String> info(PayaraNode node) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.uri("hazelcast-info")).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Arrays.stream(response.body().split("\n")).map(line -> line.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    @Test
    @Order(1)
    void nodesAAndBFormOneDataGridAndShareOneReplayCache() {
        Map<String, String> a = info(nodeA);
        Map<String, String> b = info(nodeB);

        assertThat(a.get("cluster-size")).isEqualTo("2");
        assertThat(b.get("cluster-size")).isEqualTo("2");
        assertThat(info(nodeC).get("cluster-size")).isEqualTo("1");
        assertThat(a.get("cache-name")).startsWith("dpop-replay-");
        assertThat(b.get("cache-name")).isEqualTo(a.get("cache-name"));
        assertThat(a.get("eviction")).isEqualTo("LRU/ENTRY_COUNT/" + Integer.MAX_VALUE);
        assertThat(a.get("backups")).isEqualTo("1");
    }

    @Test
    @Order(2)
    void proofAcceptedOnNodeAIsRefusedOnNodeB() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        String proof = proof(key, "hz/orders", token, null);

        HttpResponse<String> first = send(request(nodeA, "hz/orders", token, proof));
        HttpResponse<String> replay = send(request(nodeB, "hz/orders", token, proof));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRefused(replay, 401, "invalid_dpop_proof");
    }

    @Test
    @Order(3)
    void fiftyConcurrentCopiesOfOneProofOverBothNodesGiveExactlyOneSuccess() throws Exception {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        String proof = proof(key, "hz/orders", token, null);
        List<HttpRequest> copies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            copies.add(request(i % 2 == 0 ? nodeA : nodeB, "hz/orders", token, proof));
        }

        List<HttpResponse<String>> responses = together(copies);

        assertThat(responses).filteredOn(response -> response.statusCode() / 100 == 2).hasSize(1);
        assertThat(responses).filteredOn(response -> response.statusCode() == 401).hasSize(49);
    }

    private static List<HttpResponse<String>> together(List<HttpRequest> requests) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(requests.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (HttpRequest request : requests) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(90, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void nonceIssuedByNodeAIsAcceptedByNodeBAndRefusedByANodeWithAnotherSecret() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        HttpResponse<String> challenge = send(request(nodeA, "nonce/orders", token, proof(key, "nonce/orders", token, null)));
        assertRefused(challenge, 401, "use_dpop_nonce");
        String nonce = challenge.headers().firstValue("DPoP-Nonce").orElseThrow();

        HttpResponse<String> onB = send(request(nodeB, "nonce/orders", token, proof(key, "nonce/orders", token, nonce)));
        HttpResponse<String> onC = send(request(nodeC, "nonce/orders", token, proof(key, "nonce/orders", token, nonce)));

        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        assertRefused(onC, 401, "use_dpop_nonce");
        assertThat(onC.headers().firstValue("DPoP-Nonce")).isPresent().get().isNotEqualTo(nonce);
    }

    @Test
    @Order(5)
    void nodeCutOffFromItsClusterFailsClosedWith503AndAcceptsNothing() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        String proof = proof(key, "hz/orders", token, null);

        HttpResponse<String> first = send(request(nodeC, "hz/orders", token, proof));
        HttpResponse<String> again = send(request(nodeC, "hz/orders", token, proof));
        HttpResponse<String> fresh = send(request(nodeC, "hz/orders", token, proof(key, "hz/orders", token, null)));

        for (HttpResponse<String> response : List.of(first, again, fresh)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).doesNotContain("Exception");
        }
    }

    @Test
    @Order(6)
    void killingNodeAMidRunLosesNoReplayProtectionOnNodeB() throws Exception {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        List<String> accepted = new ArrayList<>();
        int killAt = 30;
        for (int i = 0; i < 60; i++) {
            if (i == killAt) {
                nodeA.kill();
            }
            PayaraNode target = i % 2 == 0 && i < killAt ? nodeA : nodeB;
            String proof = proof(key, "hz/orders", token, null);
            HttpResponse<String> response = send(request(target, "hz/orders", token, proof));
            assertThat(response.statusCode()).as(target.name() + ": " + response.body()).isEqualTo(200);
            accepted.add(proof);
        }

        List<HttpRequest> replays = accepted.stream().map(proof -> request(nodeB, "hz/orders", token, proof)).toList();
        List<HttpResponse<String>> responses = together(replays);

        assertThat(responses).allSatisfy(response -> assertRefused(response, 401, "invalid_dpop_proof"));
        assertThat(info(nodeB).get("cluster-size")).isEqualTo("1");
    }
}
