package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last in the client's test suite: runs every flow once more with keys whose encodings it
 * knows, prints every object's {@code toString()}, every exception's message and stack trace and
 * logs them at {@code FINEST}, serialises every exception, and then searches all the output and log
 * records of the whole suite ({@link SuiteOutputCaptureTest}, level {@code ALL}) and the serialised forms
 * for private key material (PKCS#8 in base64, base64url and hex; the EC {@code d}, the RSA private
 * exponent, the Ed25519 seed; PEM markers; a JWK {@code "d"} member), proofs (any compact JWS whose
 * header starts {@code {"typ":"dpop+jwt"}), access and refresh tokens, client secrets and PKCE verifiers.
 * The client library itself writes no log records; this test proves that nothing it hands out prints
 * a secret either.
 *
 * <p>Not covered: the JDK's own {@code -Djdk.httpclient.HttpClient.log=headers} debugging switch,
 * which prints every request header (tokens and proofs included) by design and must stay off.
 */
@Order(Integer.MAX_VALUE)
class KeyCustodyTest {

    /** base64url of {@code {"typ":"dpop+jwt",}: the start of every proof this library signs. */
    private static final String PROOF_MARKER = "eyJ0eXAiOiJkcG9wK2p3dC";
    private static final String CLIENT_SECRET = "custody-client-secret-4471";
    private static final String ISSUED_SECRET = "custody-issued-secret-9913";
    private static final Logger LOG = Logger.getLogger("org.dpopj.client.custody");

    private final List<String> secrets = new ArrayList<>();
    private final List<byte[]> serialised = new ArrayList<>();

    @Test
    void noKeyMaterialProofTokenOrSecretAppearsInAnyOutputLogRecordOrSerialisedFormOfTheSuite() throws Exception {
        SuiteOutputCaptureTest.install();
        List<DPoPProofSigner> signers = new ArrayList<>();
        for (DPoPAlgorithm algorithm : DPoPAlgorithm.values()) {
            KeyPair keys = generate(algorithm);
            remember(keys, algorithm);
            DPoPProofSigner signer = DPoPProofSigner.of(keys, algorithm);
            signers.add(signer);
            String proof = signer.proof("POST", URI.create("https://api.example.com/x"), "custody-access-token", null);
            secrets.add(proof);
            show(signer);
            show(DPoPHttpClient.create(HttpClient.newHttpClient(), signer));
        }
        secrets.add("custody-access-token");
        assertThat(Serializable.class.isAssignableFrom(DPoPProofSigner.class)).isFalse();
        assertThat(Serializable.class.isAssignableFrom(DPoPHttpClient.class)).isFalse();

        HttpClient http = HttpClient.newHttpClient();
        DPoPHttpClient dpop = DPoPHttpClient.create(http, signers.get(0));
        try (TestAuthorizationServer as = new TestAuthorizationServer()) {
            AuthorizationServerMetadata metadata = DPoPDiscovery.create(http, signers.get(0)).authorizationServer(as.issuer());
            show(metadata);
            DPoPAuthorizationCode flow = DPoPAuthorizationCode.builder(dpop, metadata, TestAuthorizationServer.CLIENT_ID,
                    URI.create("http://127.0.0.1:1/cb")).build();
            show(flow);
            AuthorizationRequest request = flow.start();
            secrets.add(request.codeVerifier());
            show(request);
            fail(() -> flow.complete(request, URI.create("http://127.0.0.1:1/cb?code=c&state=forged")));
            DPoPTokens tokens = flow.authorize(http);
            DPoPAccessToken token = tokens.token();
            show(tokens);
            show(token);
            DPoPAccessToken refreshed = tokens.refresh();
            show(refreshed);
            secrets.add(token.value());
            secrets.add(refreshed.value());
            as.tokenType = "Bearer";
            fail(tokens::refresh);
            fail(() -> DPoPHttpClient.create(http, signers.get(1)).send(
                    HttpRequest.newBuilder(as.http.uri("/api")).build(), refreshed, HttpResponse.BodyHandlers.discarding()));
            as.issuerOverride = "https://elsewhere.example";
            fail(() -> DPoPDiscovery.create(http, signers.get(0)).authorizationServer(as.issuer()));
        }
        try (LoopbackServer server = new LoopbackServer(request -> request.uri().getPath().equals("/register")
                ? LoopbackServer.Answer.of(201, "{\"client_id\":\"svc\",\"client_secret\":\"" + ISSUED_SECRET + "\"}")
                : LoopbackServer.Answer.of(400, "{\"error\":\"invalid_client\",\"error_description\":\"" + CLIENT_SECRET + "\"}"))) {
            DPoPClientRegistration registration = DPoPClientRegistration.builder(http, server.uri("/register"))
                    .confidential().initialAccessToken("custody-initial-token").build();
            show(registration);
            show(registration.register());
            DPoPClientCredentials grant = DPoPClientCredentials.builder(dpop, server.uri("/token"))
                    .client("svc", CLIENT_SECRET).build();
            show(grant);
            fail(grant::token);
        }
        secrets.addAll(List.of(CLIENT_SECRET, ISSUED_SECRET, "custody-initial-token"));
        DPoPKeyRegistry registry = DPoPKeyRegistry.builder(http).build();
        show(registry.client(DPoPKeyScope.tool("custody")));
        show(registry);

        String everything = SuiteOutputCaptureTest.captured();
        assertThat(everything).as("the suite's output was captured").contains("[custody] capturing");
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (everything.contains(secret)) {
                found.add(describe(secret) + " in the output or logs");
            }
            for (byte[] form : serialised) {
                if (new String(form, StandardCharsets.ISO_8859_1).contains(secret)) {
                    found.add(describe(secret) + " in a serialised exception");
                }
            }
        }
        for (String marker : List.of(PROOF_MARKER, "PRIVATE KEY", "\"d\":\"", TestAuthorizationServer.ACCESS_TOKEN_PREFIX,
                TestAuthorizationServer.REFRESH_TOKEN_PREFIX, "issued-token-Zx81", "s3cr3t-Value")) {
            if (everything.contains(marker)) {
                found.add("the marker " + marker + " in the output or logs");
            }
        }
        assertThat(found).as("secrets found in %d characters of output", everything.length()).isEmpty();
    }

    private void show(Object value) {
        System.out.println("[custody] " + value);
        LOG.log(Level.FINEST, "[custody] {0}", value);
    }

    private interface Call {
        void run() throws Exception;
    }

    private void fail(Call call) throws Exception {
        try {
            call.run();
        } catch (Exception e) {
            System.err.println("[custody] " + e);
            e.printStackTrace();
            LOG.log(Level.FINEST, "[custody] refused", e);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(e);
            }
            serialised.add(bytes.toByteArray());
            return;
        }
        throw new AssertionError("expected a refusal");
    }

    private static KeyPair generate(DPoPAlgorithm algorithm) throws Exception {
        switch (algorithm.keyType()) {
            case "EC": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(Map.of("P-256", "secp256r1", "P-384", "secp384r1",
                        "P-521", "secp521r1").get(algorithm.curve())));
                return generator.generateKeyPair();
            }
            case "RSA": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            }
            default:
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
    }

    /** Remembers every encoding of the private key a leak could take. */
    private void remember(KeyPair keys, DPoPAlgorithm algorithm) {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        secrets.add(Base64.getEncoder().encodeToString(pkcs8).substring(0, 60));
        secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8).substring(0, 60));
        secrets.add(Base64.getMimeEncoder().encodeToString(pkcs8).substring(0, 60));
        secrets.add(HexFormat.of().formatHex(pkcs8).substring(0, 80));
        BigInteger scalar = null;
        if (keys.getPrivate() instanceof ECPrivateKey ec) {
            scalar = ec.getS();
        } else if (keys.getPrivate() instanceof RSAPrivateKey rsa) {
            scalar = rsa.getPrivateExponent();
        }
        if (scalar != null) {
            byte[] raw = scalar.toByteArray();
            secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw).substring(0, 30));
            secrets.add(scalar.toString(16).substring(0, 40));
            secrets.add(scalar.toString().substring(0, 40));
        } else {
            byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(seed));
            secrets.add(HexFormat.of().formatHex(seed));
        }
    }

    private static String describe(String secret) {
        return "a secret starting " + secret.substring(0, Math.min(4, secret.length())) + "… (" + secret.length() + " chars)";
    }
}
