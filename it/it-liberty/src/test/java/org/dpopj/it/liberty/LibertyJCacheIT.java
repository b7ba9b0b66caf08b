package org.dpopj.it.liberty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.TestHttp;
import org.dpopj.it.liberty.app.JCacheEchoServlet;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Open Liberty's way to a distributed replay store: Hazelcast as a shared library
 * ({@code <library>} + {@code <classloader commonLibraryRef>}, {@code src/test/liberty-jcache/server.xml}),
 * configured by its own {@code hazelcast.xml} (TCP-IP join on 127.0.0.1, the cache {@code dpop-replay}
 * with created-expiry covering the window and no LRU eviction of live entries). The WAR bundles no
 * JCache provider and names it with two settings: {@code dpop.replay.provider} (Hazelcast's member
 * provider) and {@code dpop.replay.uri} (the {@code hazelcast.xml}); the JCache API comes with the
 * library, not the WAR, so that the application and the provider share one {@code javax.cache}. One Liberty server of its own
 * ({@code WLP_USER_DIR} under {@code target/}, HTTP 8390, Hazelcast 5710), started and stopped by hand.
 */
@ExtendWith(LoopbackIssuerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibertyJCacheIT {

    static final String SERVER = "dpop-jcache";
    static final URI BASE = URI.create("http://127.0.0.1:8390/jcache/");

    private Path home;
    private Path userDir;
    private Path serverDir;

    @BeforeAll
    void startServer() throws Exception {
        Instant started = Instant.now();
        home = Path.of(System.getProperty("it.server.home"));
        userDir = Path.of(System.getProperty("it.jcache.dir"));
        serverDir = userDir.resolve("servers").resolve(SERVER);
        Files.createDirectories(serverDir.resolve("lib"));
        Files.createDirectories(serverDir.resolve("apps"));
        try (Stream<Path> recipe = Files.list(Path.of(System.getProperty("it.jcache.recipe.dir")));
             Stream<Path> jars = Files.list(Path.of(System.getProperty("it.jcache.lib.dir")))) {
            for (Path file : recipe.toList()) {
                Files.copy(file, serverDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            for (Path jar : jars.toList()) {
                Files.copy(jar, serverDir.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        war().as(ZipExporter.class).exportTo(serverDir.resolve("apps/jcache.war").toFile(), true);
        Files.deleteIfExists(serverDir.resolve("logs/messages.log"));
        run("start");
        awaitLog(line -> line.contains("CWWKZ0001I") && line.contains("jcache"), Duration.ofSeconds(120));
        System.out.println("[LibertyJCacheIT] server started with the application in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (serverDir != null) {
            run("stop");
        }
    }

    private void run(String action) throws IOException, InterruptedException {
        Files.createDirectories(serverDir.resolve("logs"));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/server").toString(), action, SERVER)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(serverDir.resolve("logs/server-command.log").toFile()));
        builder.environment().put("WLP_USER_DIR", userDir.toString());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("server " + action).isTrue();
        assertThat(process.exitValue()).as("server " + action + ": see " + serverDir.resolve("logs")).isZero();
    }

    private List<String> log() throws IOException {
        Path log = serverDir.resolve("logs/messages.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void awaitLog(java.util.function.Predicate<String> wanted, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (log().stream().noneMatch(wanted)) {
            assertThat(log()).as("application failed to start").noneMatch(line -> line.contains("CWWKZ0002E")
                    || line.contains("SRVE0271E") || line.contains("SRVE0315E"));
            assertThat(Instant.now()).as("no such log line within " + timeout).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private org.jboss.shrinkwrap.api.spec.WebArchive war() {
        String issuer = LoopbackIssuerExtension.issuer().issuer();
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("dpop.token.issuer", issuer);
        settings.put("dpop.token.jwks-uri", issuer + "/jwks");
        settings.put("dpop.token.audience", LoopbackIssuer.AUDIENCE);
        // the two replay settings: the shared library's provider, and the member's configuration
        settings.put("dpop.replay.provider", "com.hazelcast.cache.HazelcastMemberCachingProvider");
        settings.put("dpop.replay.uri", serverDir.resolve("hazelcast.xml").toUri().toString());
        String webXml = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
                + settings.entrySet().stream().map(e -> "<context-param><param-name>" + e.getKey() + "</param-name><param-value>"
                        + e.getValue() + "</param-value></context-param>\n").collect(Collectors.joining())
                + "<filter><filter-name>dpop</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class></filter>\n"
                + "<filter-mapping><filter-name>dpop</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>\n"
                + "</web-app>\n";
        return Deployments.war("jcache")
                .addClass(JCacheEchoServlet.class)
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsLibraries(Deployments.librariesExcept("dpop-cdi", "dpop-jaxrs", "cache-api"));
    }

    @Test
    void acceptsAProofOnceThroughTheSharedHazelcastCache() throws Exception {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = BASE.resolve("api/x");
        String proof = key.proof().htm("GET").htu(uri.toString()).accessToken(token).sign();

        HttpResponse<String> first = TestHttp.get(uri, "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> replay = TestHttp.get(uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_dpop_proof");
        // the store is Hazelcast's member from the shared library, on loopback, not a node-local Ehcache
        List<String> log = log();
        assertThat(log).anyMatch(line -> line.contains("127.0.0.1]:5710") && line.contains("is STARTED"));
        assertThat(log).noneMatch(line -> line.contains("replay store is node-local"));
    }
}
