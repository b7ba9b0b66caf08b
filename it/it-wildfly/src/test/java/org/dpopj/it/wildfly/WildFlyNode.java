package org.dpopj.it.wildfly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One WildFly node of the cluster tests, started by hand from the unpacked distribution: its own
 * {@code jboss.server.base.dir} (a copy of {@code standalone/}, configured once by the CLI recipe),
 * {@code standalone-ha.xml} (or another configuration), a port offset, its own {@code jboss.node.name}, everything bound to
 * 127.0.0.1. Its WARs are copied into {@code deployments/} before it starts (the deployment scanner
 * deploys them at boot). Stopping sends SIGTERM to the server JVM (a graceful shutdown: the node
 * leaves the cluster); killing sends SIGKILL (the others see a crash).
 */
final class WildFlyNode {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Path home;
    private final Path baseDir;
    private final String config;
    private final int portOffset;
    private final List<String> systemProperties;
    private Process launcher;
    private ProcessHandle server;

    WildFlyNode(String name, Path home, Path baseDir, int portOffset, List<String> systemProperties) {
        this(name, home, baseDir, "standalone-ha.xml", portOffset, systemProperties);
    }

    /** @param config the server configuration file in the base directory's {@code configuration/} */
    WildFlyNode(String name, Path home, Path baseDir, String config, int portOffset, List<String> systemProperties) {
        this.name = name;
        this.home = home;
        this.baseDir = baseDir;
        this.config = config;
        this.portOffset = portOffset;
        this.systemProperties = List.copyOf(systemProperties);
    }

    String name() {
        return name;
    }

    /** @return the node's HTTP root, e.g. {@code http://127.0.0.1:8280/} */
    URI http() {
        return URI.create("http://127.0.0.1:" + (8080 + portOffset) + "/");
    }

    Path log() {
        return baseDir.resolve("log/server.log");
    }

    /** @return the size of the server log now, to look for lines written after this point */
    long logMark() {
        try {
            return Files.exists(log()) ? Files.size(log()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code configuredBase} (a configured {@code standalone/}) to this node's base directory. */
    void prepare(Path configuredBase, Path... wars) throws IOException {
        copyTree(configuredBase, baseDir);
        for (Path war : wars) {
            Files.copy(war, baseDir.resolve("deployments").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Starts the server JVM and returns at once; see {@link #awaitDeployed}. */
    void start() throws IOException {
        Path pidFile = baseDir.resolve("server.pid");
        Files.deleteIfExists(pidFile);
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-c", config,
                "-Djboss.server.base.dir=" + baseDir,
                "-Djboss.node.name=" + name,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.bind.address.private=127.0.0.1"));
        command.addAll(systemProperties);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(baseDir.resolve("console.log").toFile()));
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx384m -XX:MetaspaceSize=96M -Djava.net.preferIPv4Stack=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman");
        // the script runs the JVM in the background, writes its pid and forwards signals
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().put("JBOSS_PIDFILE", pidFile.toString());
        launcher = builder.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (server == null) {
            if (Files.exists(pidFile) && Files.size(pidFile) > 0) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                server = ProcessHandle.of(pid).orElse(null);
            }
            check(launcher.isAlive() || server != null, "the launcher of " + name + " exited; see " + baseDir.resolve("console.log"));
            check(Instant.now().isBefore(deadline), name + " wrote no pid file");
            sleep(100);
        }
    }

    /** Waits until every WAR of {@code deployments/} is deployed; fails on a {@code .failed} marker. */
    void awaitDeployed(String... wars) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        for (String war : wars) {
            Path deployed = baseDir.resolve("deployments").resolve(war + ".deployed");
            Path failed = baseDir.resolve("deployments").resolve(war + ".failed");
            while (!Files.exists(deployed)) {
                check(!Files.exists(failed), war + " failed to deploy on " + name + ": " + (Files.exists(failed) ? Files.readString(failed) : ""));
                check(isRunning(), name + " stopped while deploying " + war + "; see " + log());
                check(Instant.now().isBefore(deadline), war + " not deployed on " + name + " within " + START_TIMEOUT);
                sleep(200);
            }
        }
    }

    /** Waits for a line of the server log written after {@code mark} that {@code wanted} accepts. */
    String awaitLogLine(long mark, Predicate<String> wanted, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<String> line = linesSince(mark).stream().filter(wanted).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            check(Instant.now().isBefore(deadline), name + " logged no such line within " + timeout + "; see " + log());
            sleep(200);
        }
    }

    List<String> linesSince(long mark) throws IOException {
        if (!Files.exists(log())) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(log());
        int from = (int) Math.min(mark, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
    }

    boolean isRunning() {
        return server != null && server.isAlive();
    }

    /** SIGTERM: WildFly shuts down gracefully and leaves the cluster. Waits for the JVM to exit. */
    void stop() {
        end(false);
    }

    /** SIGKILL: the node vanishes without leaving; the others suspect it. Waits for the JVM to exit. */
    void kill() {
        end(true);
    }

    private void end(boolean forcibly) {
        if (server != null && server.isAlive()) {
            if (forcibly) {
                server.destroyForcibly();
            } else {
                server.destroy();
            }
            try {
                server.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                server.destroyForcibly();
            }
        }
        if (launcher != null) {
            try {
                launcher.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            launcher.destroyForcibly();
        }
        server = null;
        launcher = null;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
