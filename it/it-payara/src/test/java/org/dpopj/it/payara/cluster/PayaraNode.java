package org.dpopj.it.payara.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro started by hand ({@code java -jar payara-micro.jar --deploy ...}), on 127.0.0.1
 * only: HTTP on {@code httpPort}, its data grid from {@code gridPort}, joining the members listed in
 * {@code clusterMembers} of cluster {@code clusterName}. Host-aware partitioning is off: with it (the
 * default), Hazelcast keeps no backup on a member with the same IP address, so nodes on one machine
 * would keep none. Its output goes to {@code target/<name>.log}; it unpacks its runtime once into
 * {@code target/<name>-runtime}, reused by the next run.
 */
final class PayaraNode implements AutoCloseable {

    private final String name;
    private final int httpPort;
    private final int gridPort;
    private final Process process;
    private final Path log;

    private PayaraNode(String name, int httpPort, int gridPort, Process process, Path log) {
        this.name = name;
        this.httpPort = httpPort;
        this.gridPort = gridPort;
        this.process = process;
        this.log = log;
    }

    /** What a node is started with. */
    record Spec(String name, int httpPort, int gridPort, String clusterName, String clusterMembers,
                List<String> systemProperties) {
    }

    static PayaraNode start(Spec spec, Path war) {
        Path target = Path.of(System.getProperty("it.build.dir", "target"));
        Path log = target.resolve(spec.name() + ".log");
        Path runtime = target.resolve(spec.name() + "-runtime");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.socket.bind.any=false",
                "-Dhazelcast.phone.home.enabled=false"));
        command.addAll(spec.systemProperties());
        command.addAll(List.of("-jar", System.getProperty("it.micro.jar"),
                "--deploy", war.toString(), "--contextroot", "cluster",
                "--port", Integer.toString(spec.httpPort()),
                "--interfaces", "127.0.0.1",
                "--startport", Integer.toString(spec.gridPort()),
                "--clustername", spec.clusterName(),
                "--clustermode", "tcpip:" + spec.clusterMembers(),
                "--nohostaware",
                "--name", spec.name(),
                "--unpackdir", runtime.toString(),
                "--prebootcommandfile", System.getProperty("it.payara.preboot")));
        try {
            Files.createDirectories(runtime);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .directory(target.toFile())
                    .start();
            return new PayaraNode(spec.name(), spec.httpPort(), spec.gridPort(), process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.name(), e);
        }
    }

    /** Waits until the data grid port accepts connections, so that a node started next finds this one. */
    void awaitGrid(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", gridPort), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new AssertionError(name + ": data grid port " + gridPort + " not open within " + timeout + "; see " + log);
    }

    /** Waits until the application answers {@code path} with 200. */
    void awaitApplication(String path, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive();
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                // the servlet may answer for a moment while a failing deployment is still being validated
                if (response.statusCode() == 200 && booted()) {
                    requireAlive();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause();
        }
        throw new AssertionError(name + " did not answer " + path + " within " + timeout + "; see " + log);
    }

    /** @return whether Payara Micro logged that it finished booting (after deploying, or failing to) */
    private boolean booted() {
        try {
            String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return text.contains("Payara Micro") && text.contains(") ready in ");
        } catch (IOException e) {
            return false;
        }
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
            if (Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Exception while loading the app")) {
                throw new AssertionError(name + " failed to deploy the WAR; see " + log);
            }
        } catch (IOException e) {
            // no log yet
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/cluster/" + path);
    }

    String name() {
        return name;
    }

    /** Kills the JVM at once (SIGKILL): no graceful hand-over of its data grid partitions. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the node (SIGTERM, then SIGKILL after 30 s); idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
