package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jwt.SignedJWT;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.NonceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A retry that looped would never end: every test here has a deadline. */
@Timeout(20)
class DPoPHttpClientTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DPoPProofSigner signer = DPoPProofSigner.generate();
    private final DPoPHttpClient client = DPoPHttpClient.create(http, signer);
    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A resource server that checks every request with dpop-core's validator and requires its nonce. */
    private LoopbackServer validatingResourceServer(DPoPValidator validator) throws Exception {
        return new LoopbackServer(request -> {
            try {
                validator.validate(DPoPRequest.builder().method(request.method()).targetUri(request.uri().toString())
                        .dpopHeaders(request.header("DPoP")).authorizationHeaders(request.header("Authorization")).build());
                return LoopbackServer.Answer.of(200, "orders");
            } catch (DPoPException e) {
                HttpChallenge challenge = validator.challenge(e);
                String[] headers = challenge.headers().stream()
                        .flatMap(h -> java.util.stream.Stream.of(h.name(), h.value())).toArray(String[]::new);
                return LoopbackServer.Answer.of(challenge.status(), "", headers);
            }
        });
    }

    private static LoopbackServer.Answer nonceChallenge(String nonce) {
        return LoopbackServer.Answer.of(401, "", "WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"fresh nonce\"",
                "DPoP-Nonce", nonce);
    }

    private static String claim(String proof, String name) throws Exception {
        return SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim(name);
    }

    @Test
    void retriesOnceWithTheNonceOurValidatorIssued() throws Exception {
        try (DPoPValidator validator = Verifiers.resourceServer(signer).nonces(NonceMode.REQUIRED, Verifiers.fixedNonce("nonce-A")).build()) {
            server = validatingResourceServer(validator);

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/orders?page=1")).build(),
                    Verifiers.TOKEN, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(server.received).hasSize(2);
            assertThat(claim(server.received.get(1).header("DPoP").get(0), "nonce")).isEqualTo("nonce-A");
            assertThat(client.resourceServerNonce(server.uri())).contains("nonce-A");
        }
    }

    @Test
    void retriesOnlyOnceWhenTheServerKeepsAskingForANonce() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        server = new LoopbackServer(request -> nonceChallenge("nonce-" + issued.incrementAndGet()));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/orders")).build(),
                Verifiers.TOKEN, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.received).hasSize(2);
        assertThat(client.resourceServerNonce(server.uri())).contains("nonce-2");
    }

    @Test
    void sendsOneAuthorizationAndOneProofBoundToTheToken() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "ok"));

        client.send(HttpRequest.newBuilder(server.uri("/orders")).header("Authorization", "Bearer stale")
                .header("DPoP", "stale").build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        LoopbackServer.Received request = server.received.get(0);
        assertThat(request.header("Authorization")).containsExactly("DPoP " + Verifiers.TOKEN);
        assertThat(request.header("DPoP")).hasSize(1);
        assertThat(claim(request.header("DPoP").get(0), "ath")).isEqualTo(DPoPProofSigner.ath(Verifiers.TOKEN));
        assertThat(claim(request.header("DPoP").get(0), "htu")).isEqualTo(server.uri("/orders").toString());
    }

    @Test
    void doesNotRetryOtherErrors() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(401, "",
                "WWW-Authenticate", "DPoP error=\"invalid_token\"", "DPoP-Nonce", "n-1"));

        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(server.uri("/orders")).build(),
                Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.received).hasSize(1);
    }

    @Test
    void doesNotRetryAChallengeWithoutANonce() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(401, "",
                "WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""));

        client.send(HttpRequest.newBuilder(server.uri("/orders")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(server.received).hasSize(1);
    }

    @Test
    void resendsAStringBodyOnTheRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new LoopbackServer(request -> calls.incrementAndGet() == 1 ? nonceChallenge("n-1") : LoopbackServer.Answer.of(201, ""));

        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(server.uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\":7}")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(server.received).extracting(LoopbackServer.Received::body).containsExactly("{\"item\":7}", "{\"item\":7}");
    }

    @Test
    void doesNotResendAOneShotBodyButRemembersTheNonce() throws Exception {
        server = new LoopbackServer(request -> nonceChallenge("n-1"));
        // a reactive publisher the client cannot know to be replayable, though this one happens to be
        java.util.concurrent.Flow.Publisher<ByteBuffer> oneShot = HttpRequest.BodyPublishers.ofString("{}")::subscribe;
        HttpRequest request = HttpRequest.newBuilder(server.uri("/orders"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(oneShot, 2)).build();

        HttpResponse<Void> response = client.send(request, Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.received).hasSize(1);
        assertThat(client.resourceServerNonce(server.uri())).contains("n-1");
    }

    @Test
    void treatsOnlyByteArrayStringAndEmptyBodiesAsReplayable() {
        URI uri = URI.create("https://api.example.com/");

        assertThat(DPoPHttpClient.replayable(HttpRequest.newBuilder(uri).build())).isTrue();
        assertThat(DPoPHttpClient.replayable(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build())).isTrue();
        assertThat(DPoPHttpClient.replayable(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3])).build())).isTrue();
        assertThat(DPoPHttpClient.replayable(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[3]))).build())).isFalse();
    }

    @Test
    void keepsResourceServerAndAuthorizationServerNoncesApart() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "{}", "DPoP-Nonce",
                request.header("Authorization").isEmpty() ? "as-nonce" : "rs-nonce"));

        client.send(HttpRequest.newBuilder(server.uri("/api")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());
        client.sendTokenRequest(HttpRequest.newBuilder(server.uri("/token")).POST(HttpRequest.BodyPublishers.ofString("a=b")).build());

        assertThat(client.resourceServerNonce(server.uri())).contains("rs-nonce");
        assertThat(client.authorizationServerNonce(server.uri())).contains("as-nonce");
    }

    @Test
    void sendsTheLatestNonceOfTheOriginWithTheNextRequest() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "", "DPoP-Nonce", "rotated-1"));

        client.send(HttpRequest.newBuilder(server.uri("/a")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());
        client.send(HttpRequest.newBuilder(server.uri("/b")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(claim(server.received.get(0).header("DPoP").get(0), "nonce")).isNull();
        assertThat(claim(server.received.get(1).header("DPoP").get(0), "nonce")).isEqualTo("rotated-1");
    }

    @Test
    void retriesATokenRequestOnceOnAUseDPoPNonceError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new LoopbackServer(request -> calls.incrementAndGet() == 1
                ? LoopbackServer.Answer.of(400, "{\"error\":\"use_dpop_nonce\"}", "DPoP-Nonce", "as-1")
                : LoopbackServer.Answer.of(200, "{}"));

        HttpResponse<String> response = client.sendTokenRequest(HttpRequest.newBuilder(server.uri("/token"))
                .header("Authorization", "Basic abc").POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.received).hasSize(2);
        assertThat(server.received.get(1).header("Authorization")).containsExactly("Basic abc");
        assertThat(claim(server.received.get(1).header("DPoP").get(0), "nonce")).isEqualTo("as-1");
        assertThat(claim(server.received.get(1).header("DPoP").get(0), "ath")).isNull();
    }

    @Test
    void retriesATokenRequestOnlyOnce() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(400, "{\"error\":\"use_dpop_nonce\"}", "DPoP-Nonce", "as-x"));

        HttpResponse<String> response = client.sendTokenRequest(HttpRequest.newBuilder(server.uri("/token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(server.received).hasSize(2);
    }

    @Test
    void recognisesADPoPNonceChallengeAmongOthers() {
        assertThat(DPoPHttpClient.isNonceChallenge("Bearer realm=\"x\", DPoP error=\"use_dpop_nonce\"")).isTrue();
        assertThat(DPoPHttpClient.isNonceChallenge("dpop error=use_dpop_nonce")).isTrue();
        assertThat(DPoPHttpClient.isNonceChallenge("DPoP error=\"invalid_token\"")).isFalse();
        assertThat(DPoPHttpClient.isNonceChallenge("Bearer error=\"use_dpop_nonce_x\"")).isFalse();
    }

    @Test
    void toStringNamesNoTokenOrNonce() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "", "DPoP-Nonce", "secret-nonce-7"));
        client.send(HttpRequest.newBuilder(server.uri("/a")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

        assertThat(client.toString()).doesNotContain(Verifiers.TOKEN).doesNotContain("secret-nonce-7").contains(signer.thumbprint());
    }

    @Test
    void remembersABoundedNumberOfOrigins() throws Exception {
        DPoPHttpClient small = DPoPHttpClient.create(http, signer, 1);
        try (LoopbackServer other = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "", "DPoP-Nonce", "other"))) {
            server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "", "DPoP-Nonce", "first"));

            small.send(HttpRequest.newBuilder(server.uri("/a")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());
            small.send(HttpRequest.newBuilder(other.uri("/a")).build(), Verifiers.TOKEN, HttpResponse.BodyHandlers.discarding());

            assertThat(small.resourceServerNonce(server.uri())).isEmpty();
            assertThat(small.resourceServerNonce(other.uri())).contains("other");
        }
    }
}
