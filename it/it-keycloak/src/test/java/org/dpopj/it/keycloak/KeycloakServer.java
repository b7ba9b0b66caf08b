package org.dpopj.it.keycloak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * A Keycloak distribution under {@code target/} run in dev mode on 127.0.0.1 and free ports (HTTP and
 * management), with a fresh dev-file database per run and a random bootstrap admin password, driven
 * through its admin REST API. It runs on the JDK named by {@code it.keycloak.java.home} (Java 21+).
 * {@link #close()} stops it; a shutdown hook does too if the test JVM ends first.
 */
final class KeycloakServer implements AutoCloseable {

    static final String REALM = "dpopj";
    private static final Duration START_LIMIT = Duration.ofSeconds(150);

    private final Path home;
    private final String javaHome;
    private final int port;
    private final int managementPort;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::stop);
    private Process process;

    KeycloakServer(Path home, String javaHome) throws IOException {
        this.home = home;
        this.javaHome = javaHome;
        this.port = freePort();
        this.managementPort = freePort();
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        this.adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        deleteTree(home.resolve("data"));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String issuer() {
        return base() + "/realms/" + REALM;
    }

    URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    URI introspectionEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token/introspect");
    }

    /** Starts Keycloak and waits until it answers, for at most {@link #START_LIMIT}. */
    void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--hostname-strict=false")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("keycloak.log").toFile()));
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx640m");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        process = builder.start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!answers(base() + "/realms/master")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Keycloak did not start; see " + home.resolve("keycloak.log"));
            }
            Thread.sleep(250);
        }
    }

    /** @return whether {@code url} answers 200 within a short time-out */
    boolean answers(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(500)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return whether the realm's metadata is served, i.e. whether tokens can be checked against it */
    boolean realmAnswers() {
        return answers(issuer() + "/.well-known/openid-configuration");
    }

    /** Stops Keycloak (and the JVM kc.sh started), waiting for it to exit. */
    void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> children = running.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        running.destroy();
        try {
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
            running.waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // fall through to the forcible stop
        }
        children.forEach(ProcessHandle::destroyForcibly);
        running.destroyForcibly();
        process = null;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and runs the hook itself
        }
    }

    /**
     * Creates the realm with a confidential client that gets DPoP-bound {@code at+jwt} access tokens
     * with client credentials, and the resource server as a confidential client of its own, named in
     * their {@code aud} (Keycloak answers introspection only to a client the token is for).
     */
    void createRealm(String clientId, String clientSecret, String resourceServerId, String resourceServerSecret)
            throws IOException, InterruptedException {
        Map<String, Object> resourceServer = Map.of(
                "clientId", resourceServerId,
                "secret", resourceServerSecret,
                "publicClient", false,
                "serviceAccountsEnabled", false,
                "standardFlowEnabled", false,
                "directAccessGrantsEnabled", false);
        Map<String, Object> client = Map.of(
                "clientId", clientId,
                "secret", clientSecret,
                "publicClient", false,
                "serviceAccountsEnabled", true,
                "standardFlowEnabled", false,
                "directAccessGrantsEnabled", false,
                "attributes", Map.of(
                        "dpop.bound.access.tokens", "true",
                        "access.token.header.type.rfc9068", "true"),
                "protocolMappers", List.of(Map.of(
                        "name", "api-audience",
                        "protocol", "openid-connect",
                        "protocolMapper", "oidc-audience-mapper",
                        "config", Map.of(
                                "included.client.audience", resourceServerId,
                                "access.token.claim", "true",
                                "introspection.token.claim", "true"))));
        admin("POST", "/admin/realms", Map.of("realm", REALM, "enabled", true, "clients", List.of(resourceServer, client)), 201);
    }

    /** @return the realm's RS256 signing key providers as component ids, highest priority first */
    List<String> rsaKeyProviders() throws IOException, InterruptedException {
        List<Map<String, Object>> components = list(admin("GET", "/admin/realms/" + REALM
                + "/components?type=org.keycloak.keys.KeyProvider", null, 200));
        return components.stream()
                .filter(component -> "rsa-generated".equals(component.get("providerId")))
                .sorted(Comparator.comparingLong(KeycloakServer::priority).reversed())
                .map(component -> (String) component.get("id"))
                .toList();
    }

    /**
     * Adds an RS256 key with a higher priority than any so far (whichever test rotated before): new
     * tokens are signed with it at once.
     */
    void rotateKey(String name) throws IOException, InterruptedException {
        List<Map<String, Object>> components = list(admin("GET", "/admin/realms/" + REALM
                + "/components?type=org.keycloak.keys.KeyProvider", null, 200));
        long priority = components.stream().mapToLong(KeycloakServer::priority).max().orElse(0) + 100;
        Map<String, Object> realm = map(admin("GET", "/admin/realms/" + REALM, null, 200));
        admin("POST", "/admin/realms/" + REALM + "/components", Map.of(
                "name", name,
                "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realm.get("id"),
                "config", Map.of(
                        "priority", List.of(Long.toString(priority)),
                        "enabled", List.of("true"),
                        "active", List.of("true"),
                        "keySize", List.of("2048"),
                        "algorithm", List.of("RS256"))), 201);
    }

    /** Removes a key provider, and with it its key from the JWKS. */
    void removeKeyProvider(String componentId) throws IOException, InterruptedException {
        admin("DELETE", "/admin/realms/" + REALM + "/components/" + componentId, null, 204);
    }

    private static long priority(Map<String, Object> component) {
        Object config = component.get("config");
        if (config instanceof Map<?, ?> values && values.get("priority") instanceof List<?> priority
                && !priority.isEmpty()) {
            return Long.parseLong(String.valueOf(priority.get(0)));
        }
        return 0;
    }

    /** Calls the admin REST API; {@code path} from the server's root. Package-private for other ITs' realm objects. */
    String admin(String method, String path, Map<String, ?> body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JsonUtil.toJson(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private String adminToken() throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode(adminPassword, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/realms/master/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin token request answered " + response.statusCode());
        }
        return (String) map(response.body()).get("access_token");
    }

    static Map<String, Object> map(String json) {
        try {
            return JsonUtil.parseJson(json);
        } catch (JoseException e) {
            throw new IllegalStateException("not a JSON object", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        return (List<Map<String, Object>>) map("{\"items\":" + json + "}").get("items");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
