package org.dpopj.it.leaks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.htu;
import static org.dpopj.it.client.DPoPCalls.postForm;
import static org.dpopj.it.client.DPoPCalls.proof;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.RawProofs;
import org.dpopj.it.leaks.app.LeaksApplication;
import org.dpopj.it.rs.MalformedRequests;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * The library never logs or echoes an access token, a proof or key material (it logs a thumbprint or a
 * hash prefix). The whole hostile battery (the malformed requests of every adapter, tokens and proofs
 * carrying markers, a {@code jwk} with private members, proofs signed with HMAC over a marker secret,
 * oversized and malformed proofs and tokens, replays, a Bearer downgrade, missing and forged nonces) plus
 * well-formed requests goes once through the web.xml filter, {@code @DPoPRequired}, a filter that
 * requires nonces over a known secret and one that introspects opaque tokens with a client secret, with
 * the library's loggers at their most verbose and the JSON audit log on ({@code dpop.audit.log=json}
 * in MicroProfile Config, which every filter inherits).
 * Then every response (body and headers), every audit event ({@code toString()} and the library's
 * format) and every line the server logged since the deployment are searched for each secret sent.
 *
 * <p>The server module names its log files in {@value ServerLog#PROPERTY}; the deployed
 * {@code VerboseLibraryLogging} opens {@code org.dpopj} to every level while the WAR is deployed.
 */
@ServerTest
class SecretsNeverLeakIT {

    /** Below the servers' own header limits (Grizzly: 8 KiB), so the oversized cases reach the library. */
    private static final int MAX_PROOF_SIZE = 4096;
    /** A line the library writes at DEBUG for every refusal: its presence proves the log is verbose enough. */
    private static final String DEBUG_LINE = "DPoP request rejected: check=";
    /** The start of every line of the JSON audit log ({@code dpop.audit.log=json}, on for every filter here). */
    private static final String JSON_AUDIT_LINE = "{\"time\":\"";

    private static final String TOKEN_MARKER = "tokenmarker" + random();
    private static final String JTI_MARKER = "jtimarker" + random();
    private static final String HTU_MARKER = "htumarker" + random();
    private static final String HMAC_SECRET = "hmac-secret-" + random() + "-of-more-than-32-bytes";
    private static final String NONCE_SECRET = "nonce-secret-" + random() + "-of-more-than-32-bytes";

    private static ServerLog serverLog;
    private static Observations observations;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        serverLog = ServerLog.mark();
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        Map<String, String> nonce = new LinkedHashMap<>();
        nonce.put("dpop.token.issuer", issuer);
        nonce.put("dpop.token.jwks-uri", issuer + "/jwks");
        nonce.put("dpop.token.audience", LoopbackIssuer.AUDIENCE);
        nonce.put("dpop.proof.max-size", Integer.toString(MAX_PROOF_SIZE));
        nonce.put("dpop.nonce.mode", "required");
        nonce.put("dpop.nonce.secret", NONCE_SECRET);
        nonce.put("dpop.replay.cache", "dpop-replay-leaks-nonce");
        Map<String, String> introspection = new LinkedHashMap<>();
        introspection.put("dpop.token.introspection-uri", issuer + "/introspect");
        introspection.put("dpop.token.introspection-client-id", LoopbackIssuer.CLIENT_ID);
        introspection.put("dpop.token.introspection-client-secret", LoopbackIssuer.CLIENT_SECRET);
        introspection.put("dpop.replay.cache", "dpop-replay-leaks-introspection");
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter><filter-name>dpop</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class></filter>
                  <filter-mapping><filter-name>dpop</filter-name><url-pattern>/servlet/*</url-pattern></filter-mapping>
                  <filter><filter-name>dpop-nonce</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                """
                + initParams(nonce)
                + """
                  </filter>
                  <filter-mapping><filter-name>dpop-nonce</filter-name><url-pattern>/nonce/*</url-pattern></filter-mapping>
                  <filter><filter-name>dpop-introspection</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                """
                + initParams(introspection)
                + """
                  </filter>
                  <filter-mapping><filter-name>dpop-introspection</filter-name><url-pattern>/introspection/*</url-pattern></filter-mapping>
                </web-app>
                """;
        return Deployments.war("leaks")
                .addPackage(LeaksApplication.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.proof.max-size=" + MAX_PROOF_SIZE, "dpop.audit.log=json"),
                        "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    private static String initParams(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> "    <init-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue() + "</param-value></init-param>\n")
                .reduce("", String::concat);
    }

    @Test
    void writesTheLibrarysDebugLinesToTheServerLog() {
        assertThat(observations().logLines).as("lines logged in %s since the deployment", serverLog.files())
                .anyMatch(line -> line.contains(DEBUG_LINE));
    }

    @Test
    void writesTheJsonAuditLinesOfEveryFilterToTheServerLog() {
        List<String> lines = observations().logLines.stream().filter(line -> line.contains(JSON_AUDIT_LINE)).toList();

        assertThat(lines).as("JSON audit lines in %s", serverLog.files())
                .anyMatch(line -> line.contains("\"outcome\":\"accepted\""))
                .anyMatch(line -> line.contains("\"outcome\":\"rejected\""))
                .anyMatch(line -> line.contains("\"error\":\"use_dpop_nonce\""))
                .anyMatch(line -> line.contains("/introspection/battery"));
    }

    @Test
    void admitsTheWellFormedRequestsOfTheBattery() {
        assertThat(observations().sent).filteredOn(Sent::acceptable).isNotEmpty()
                .allSatisfy(sent -> assertThat(sent.response.statusCode()).as("%s: %s", sent.name, sent.response.body()).isEqualTo(200));
    }

    @Test
    void refusesEveryHostileRequestOfTheBatteryWithAChallenge() {
        assertThat(observations().sent).filteredOn(sent -> !sent.acceptable()).hasSizeGreaterThan(80)
                .allSatisfy(sent -> {
                    assertThat(sent.response.statusCode()).as("%s: %s", sent.name, sent.response.body()).isIn(400, 401);
                    assertThat(sent.response.headers().allValues("WWW-Authenticate")).as(sent.name).isNotEmpty();
                });
    }

    @Test
    void neverEchoesASecretInAResponseBodyOrHeader() {
        Observations seen = observations();
        List<String> findings = new ArrayList<>();
        for (Sent sent : seen.sent) {
            findings.addAll(seen.secrets.findIn("response to '" + sent.name + "'", responseText(sent.response)));
        }
        assertThat(findings).as("secrets in responses").isEmpty();
    }

    @Test
    void neverPutsASecretInAnAuditEvent() {
        Observations seen = observations();
        assertThat(seen.auditLines).as("audit lines").isNotEmpty();
        List<String> findings = new ArrayList<>();
        seen.auditLines.forEach(line -> findings.addAll(seen.secrets.findIn("audit event", line)));
        assertThat(findings).as("secrets in audit events").isEmpty();
    }

    @Test
    void neverWritesASecretToTheServerLog() {
        Observations seen = observations();
        List<String> findings = new ArrayList<>();
        seen.logLines.forEach(line -> findings.addAll(seen.secrets.findIn("log line", line)));
        assertThat(findings).as("secrets in %s", serverLog.files()).isEmpty();
    }

    // ---- the battery, sent once per class ----------------------------------------------------------

    /** One request of the battery: its name, whether it is well formed (to be admitted), and the answer. */
    private record Sent(String name, boolean acceptable, HttpResponse<String> response) {
    }

    private static final class Observations {
        final List<Sent> sent = new ArrayList<>();
        final Secrets secrets = new Secrets();
        List<String> auditLines = List.of();
        List<String> logLines = List.of();
    }

    private Observations observations() {
        synchronized (SecretsNeverLeakIT.class) {
            if (observations == null) {
                observations = sendTheBattery();
            }
            return observations;
        }
    }

    private Observations sendTheBattery() {
        Observations seen = new Observations();
        seen.secrets.add(TOKEN_MARKER, "the access-token marker");
        seen.secrets.add(HMAC_SECRET, "the HMAC secret of a proof");
        seen.secrets.add(NONCE_SECRET, "the nonce secret");
        seen.secrets.add(LoopbackIssuer.CLIENT_SECRET, "the introspection client secret");
        seen.secrets.add(Base64.getEncoder().encodeToString((LoopbackIssuer.CLIENT_ID + ":" + LoopbackIssuer.CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8)), "the introspection client's Basic credentials");
        for (String path : List.of("servlet/battery", "api/guarded")) {
            URI uri = TestHttp.uri(base, path);
            for (MalformedRequests.Case malformed : MalformedRequests.cases(issuer(), uri, MAX_PROOF_SIZE)) {
                record(seen, path + ": " + malformed.name(), false, malformed.call().apply(uri));
            }
            hostile(seen, path, uri);
        }
        nonces(seen, TestHttp.uri(base, "nonce/battery"));
        introspection(seen, TestHttp.uri(base, "introspection/battery"));
        HttpResponse<String> audit = TestHttp.get(TestHttp.uri(base, "audit-events"));
        assertThat(audit.statusCode()).as("audit events: %s", audit.body()).isEqualTo(200);
        seen.auditLines = audit.body().lines().toList();
        seen.logLines = serverLog.linesSinceMark(Duration.ofSeconds(1), Duration.ofSeconds(20));
        System.out.printf("SecretsNeverLeakIT on %s: %d requests (%d well formed), %d secrets, %d audit lines, %d log lines scanned in %s;"
                        + " jti marker in %d, htu marker in %d log lines%n",
                System.getProperty("it.server"), seen.sent.size(), seen.sent.stream().filter(Sent::acceptable).count(),
                seen.secrets.size(), seen.auditLines.size(), seen.logLines.size(), serverLog.files(),
                seen.logLines.stream().filter(line -> line.contains(JTI_MARKER)).count(),
                seen.logLines.stream().filter(line -> line.contains(HTU_MARKER)).count());
        return seen;
    }

    /** The cases beyond {@link MalformedRequests}: secrets with markers, and well-formed requests. */
    private static void hostile(Observations seen, String path, URI uri) {
        String u = htu(uri);
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).scope("read").jwt();
        String auth = "DPoP " + token;
        Function<String, String> jtiMarked = n -> JTI_MARKER + "-" + path + "-" + n;

        record(seen, path + ": accepted", true, send("GET", uri, "Authorization", auth, "DPoP", proof(key, "GET", uri, token)));
        HttpRequest once = TestHttp.request(uri).GET().header("Authorization", auth)
                .header("DPoP", key.proof().htm("GET").htu(u).accessToken(token).jti(jtiMarked.apply("replayed")).sign()).build();
        record(seen, path + ": accepted, then replayed", true, TestHttp.send(once));
        record(seen, path + ": replayed", false, TestHttp.send(once));

        String markedToken = "opaque-" + TOKEN_MARKER + "-not-a-jwt";
        record(seen, path + ": token with a marker", false, send("GET", uri, "Authorization", "DPoP " + markedToken,
                "DPoP", proof(key, "GET", uri, markedToken)));
        String jwtLikeToken = "eyJhbGciOiJSUzI1NiJ9." + TOKEN_MARKER + ".c2lnbmF0dXJl";
        record(seen, path + ": JWT-like token with a marker", false, send("GET", uri, "Authorization", "DPoP " + jwtLikeToken,
                "DPoP", proof(key, "GET", uri, jwtLikeToken)));
        String hugeToken = (TOKEN_MARKER + "-").repeat(3000 / (TOKEN_MARKER.length() + 1));
        record(seen, path + ": oversized token with markers", false, send("GET", uri, "Authorization", "DPoP " + hugeToken,
                "DPoP", proof(key, "GET", uri, hugeToken)));
        record(seen, path + ": bound token sent as Bearer", false, send("GET", uri, "Authorization", "Bearer " + token));
        record(seen, path + ": bound token sent as Bearer with a proof", false, send("GET", uri, "Authorization", "Bearer " + token,
                "DPoP", proof(key, "GET", uri, token)));
        record(seen, path + ": marked jti, wrong htm", false, send("GET", uri, "Authorization", auth,
                "DPoP", key.proof().htm("POST").htu(u).accessToken(token).jti(jtiMarked.apply("htm")).sign()));
        record(seen, path + ": marked jti, wrong htu with a marker", false, send("GET", uri, "Authorization", auth,
                "DPoP", key.proof().htm("GET").htu(u + "/" + HTU_MARKER).accessToken(token).jti(jtiMarked.apply("htu")).sign()));
        record(seen, path + ": marked jti, wrong ath", false, send("GET", uri, "Authorization", auth,
                "DPoP", key.proof().htm("GET").htu(u).accessToken(token + TOKEN_MARKER).jti(jtiMarked.apply("ath")).sign()));
        record(seen, path + ": jti longer than allowed", false, send("GET", uri, "Authorization", auth,
                "DPoP", key.proof().htm("GET").htu(u).accessToken(token).jti(jtiMarked.apply("x".repeat(300))).sign()));
        record(seen, path + ": HS256 over a marker secret", false, send("GET", uri, "Authorization", auth,
                "DPoP", RawProofs.hs256(key, "GET", u, token, HMAC_SECRET.getBytes(StandardCharsets.US_ASCII))));
        PublicJsonWebKey privateKey = p256();
        seen.secrets.add(String.valueOf(privateKey.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE).get("d")),
                "the private member d of a proof's jwk");
        String bound = issuer().accessToken().boundTo(privateKey.calculateBase64urlEncodedThumbprint("SHA-256")).jwt();
        record(seen, path + ": jwk with the private member d", false, send("GET", uri, "Authorization", "DPoP " + bound,
                "DPoP", RawProofs.privateJwk(privateKey, "GET", u, bound)));
        PublicJsonWebKey rsa = rsa2048();
        Map<String, Object> rsaMembers = rsa.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        rsaMembers.remove("d");
        List.of("p", "q", "dp", "dq", "qi").forEach(member -> seen.secrets.add(String.valueOf(rsaMembers.get(member)),
                "the private member " + member + " of a proof's RSA jwk"));
        String rsaBound = issuer().accessToken().boundTo(rsa.calculateBase64urlEncodedThumbprint("SHA-256")).jwt();
        record(seen, path + ": RSA jwk with private members but no d", false, send("GET", uri, "Authorization", "DPoP " + rsaBound,
                "DPoP", RawProofs.signed(AlgorithmIdentifiers.RSA_USING_SHA256, rsaMembers, rsa.getPrivateKey(), "GET", u, rsaBound)));
        String octKey = Base64.getUrlEncoder().withoutPadding().encodeToString(HMAC_SECRET.getBytes(StandardCharsets.US_ASCII));
        seen.secrets.add(octKey, "the HMAC secret as the k of a proof's jwk");
        record(seen, path + ": HS256 with its secret as an oct jwk", false, send("GET", uri, "Authorization", auth,
                "DPoP", RawProofs.signed(AlgorithmIdentifiers.HMAC_SHA256, Map.of("kty", "oct", "k", octKey),
                        new HmacKey(HMAC_SECRET.getBytes(StandardCharsets.US_ASCII)), "GET", u, token)));
        record(seen, path + ": oversized garbage proof", false, send("GET", uri, "Authorization", auth, "DPoP", "x".repeat(MAX_PROOF_SIZE + 1)));
        record(seen, path + ": large proof without iat", false, send("GET", uri, "Authorization", auth,
                "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("pad", JTI_MARKER.repeat(40)).withoutClaim("iat").sign()));
        record(seen, path + ": token also in a form body", false, postForm(uri, "access_token=" + token, "Authorization", auth,
                "DPoP", proof(key, "POST", uri, token)));
    }

    /** The nonce path: a proof without a nonce, with a forged one, with the server's, and its replay. */
    private static void nonces(Observations seen, URI uri) {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).scope("read").jwt();
        String u = htu(uri);
        HttpResponse<String> challenge = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof(key, "GET", uri, token));
        record(seen, "nonce: no nonce", false, challenge);
        record(seen, "nonce: forged nonce", false, send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", key.proof().htm("GET").htu(u).accessToken(token).nonce("forged-" + random()).sign()));
        String nonce = challenge.headers().firstValue("DPoP-Nonce")
                .orElseThrow(() -> new AssertionError("no DPoP-Nonce in the answer to a proof without a nonce: " + challenge.headers().map()));
        HttpRequest withNonce = TestHttp.request(uri).GET().header("Authorization", "DPoP " + token)
                .header("DPoP", key.proof().htm("GET").htu(u).accessToken(token).nonce(nonce).jti(JTI_MARKER + "-nonce").sign()).build();
        record(seen, "nonce: the server's nonce", true, TestHttp.send(withNonce));
        record(seen, "nonce: replayed with the server's nonce", false, TestHttp.send(withNonce));
        record(seen, "nonce: bound token sent as Bearer", false, send("GET", uri, "Authorization", "Bearer " + token));
    }

    /** Introspected opaque tokens: one active and bound, one the issuer does not know (carrying the marker). */
    private static void introspection(Observations seen, URI uri) {
        DPoPKey key = DPoPKey.es256();
        String token = issuer().accessToken().boundTo(key.thumbprint()).opaque();
        record(seen, "introspection: accepted", true, send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof(key, "GET", uri, token)));
        String unknown = "opaque-" + TOKEN_MARKER + "-unknown-to-the-issuer";
        record(seen, "introspection: unknown token with a marker", false, send("GET", uri, "Authorization", "DPoP " + unknown,
                "DPoP", proof(key, "GET", uri, unknown)));
        record(seen, "introspection: bound token sent as Bearer", false, send("GET", uri, "Authorization", "Bearer " + token));
        record(seen, "introspection: token bound to another key", false, send("GET", uri, "Authorization", "DPoP " + token,
                "DPoP", proof(DPoPKey.es256(), "GET", uri, token)));
    }

    private static void record(Observations seen, String name, boolean acceptable, HttpResponse<String> response) {
        seen.sent.add(new Sent(name, acceptable, response));
        seen.secrets.addSentIn(response.request(), name);
    }

    private static String responseText(HttpResponse<String> response) {
        StringBuilder text = new StringBuilder().append(response.statusCode()).append('\n');
        response.headers().map().forEach((name, values) -> values.forEach(value -> text.append(name).append(": ").append(value).append('\n')));
        return text.append(response.body()).toString();
    }

    private static LoopbackIssuer issuer() {
        return LoopbackIssuerExtension.issuer();
    }

    private static PublicJsonWebKey p256() {
        try {
            return EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicJsonWebKey rsa2048() {
        try {
            return RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * What must never come back or be written: each secret with a description. From every request sent:
     * each {@code Authorization} credential and each {@code DPoP} value whole, and the payload and
     * signature parts of each compact JWS among them (a proof's header part is its public key and is not
     * secret, unless its {@code jwk} carries a private member); a token sent in the query string.
     */
    private static final class Secrets {

        /** Shorter parts are dummies of the battery ({@code AAAA}, {@code %%%}), not secrets. */
        private static final int SHORTEST = 12;

        private final Map<String, String> descriptions = new LinkedHashMap<>();

        void add(String secret, String description) {
            if (secret.length() >= SHORTEST) {
                descriptions.putIfAbsent(secret, description);
            }
        }

        int size() {
            return descriptions.size();
        }

        void addSentIn(HttpRequest request, String name) {
            request.headers().allValues("DPoP").forEach(value -> {
                add(value, "the DPoP header of '" + name + "'");
                for (String proof : value.split(",")) {
                    addJwsParts(proof.trim(), "proof of '" + name + "'");
                }
            });
            request.headers().allValues("Authorization").forEach(value -> {
                int space = value.indexOf(' ');
                if (space > 0) {
                    String credentials = value.substring(space + 1).trim();
                    add(credentials, "the credentials of '" + name + "'");
                    addJwsParts(credentials, "token of '" + name + "'");
                }
            });
            String query = request.uri().getRawQuery();
            if (query != null) {
                for (String parameter : query.split("&")) {
                    if (parameter.startsWith("access_token=")) {
                        add(parameter.substring("access_token=".length()), "the query-string token of '" + name + "'");
                    }
                }
            }
        }

        private void addJwsParts(String compact, String what) {
            String[] parts = compact.split("\\.", -1);
            if (parts.length < 2) {
                return;
            }
            if (decodesToPrivateJwk(parts[0])) {
                add(parts[0], "the header part (private jwk) of the " + what);
            }
            for (int i = 1; i < parts.length; i++) {
                add(parts[i], (i == parts.length - 1 ? "the signature part" : "part " + (i + 1)) + " of the " + what);
            }
        }

        private static boolean decodesToPrivateJwk(String part) {
            try {
                return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8).contains("\"d\":");
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** One finding per secret found in {@code text}, naming where and what. */
        List<String> findIn(String where, String text) {
            List<String> findings = new ArrayList<>();
            descriptions.forEach((secret, description) -> {
                if (text.contains(secret)) {
                    findings.add(where + " contains " + description + ": " + abbreviate(text));
                }
            });
            return findings;
        }

        private static String abbreviate(String text) {
            return text.length() <= 300 ? text : text.substring(0, 300) + "...";
        }
    }
}
