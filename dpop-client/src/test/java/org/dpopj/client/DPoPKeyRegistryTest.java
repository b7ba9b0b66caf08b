package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DPoPKeyRegistryTest {

    private static final DPoPKeyScope GITHUB = DPoPKeyScope.tool("github");
    private static final DPoPKeyScope JIRA = DPoPKeyScope.tool("jira");

    private final DPoPKeyRegistry registry = DPoPKeyRegistry.builder(HttpClient.newHttpClient()).build();

    private static DPoPAccessToken tokenFor(DPoPHttpClient client) {
        return new DPoPAccessToken("token-of-" + client.signer().thumbprint(), Instant.MAX, null, client.signer().thumbprint());
    }

    @Test
    void eachScopeHasItsOwnKeyAndKeepsIt() {
        DPoPHttpClient github = registry.client(GITHUB);

        assertThat(registry.client(GITHUB)).isSameAs(github);
        assertThat(registry.client(JIRA).signer().thumbprint()).isNotEqualTo(github.signer().thumbprint());
        assertThat(registry.client(DPoPKeyScope.tenant("github")).signer().thumbprint()).isNotEqualTo(github.signer().thumbprint());
    }

    @Test
    void rotatingOneScopeLeavesTheOthersKeys() {
        String github = registry.client(GITHUB).signer().thumbprint();
        String jira = registry.client(JIRA).signer().thumbprint();

        DPoPHttpClient rotated = registry.rotate(GITHUB);

        assertThat(rotated.signer().thumbprint()).isNotEqualTo(github);
        assertThat(registry.thumbprint(GITHUB)).contains(rotated.signer().thumbprint());
        assertThat(registry.thumbprint(JIRA)).contains(jira);
    }

    @Test
    void droppingOneScopeForgetsOnlyItsKey() {
        registry.client(GITHUB);
        String jira = registry.client(JIRA).signer().thumbprint();

        assertThat(registry.drop(GITHUB)).isTrue();

        assertThat(registry.scopes()).containsExactly(JIRA);
        assertThat(registry.thumbprint(GITHUB)).isEmpty();
        assertThat(registry.thumbprint(JIRA)).contains(jira);
        assertThat(registry.drop(GITHUB)).isFalse();
    }

    @Test
    void aTokenOfOneScopeIsNeverSentWithAnotherScopesProof() throws Exception {
        try (LoopbackServer api = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "ok"))) {
            DPoPAccessToken githubToken = tokenFor(registry.client(GITHUB));
            HttpRequest request = HttpRequest.newBuilder(api.uri("/issues")).build();

            assertThatThrownBy(() -> registry.client(JIRA).send(request, githubToken, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFC 9449 §6")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(githubToken.value()));
            assertThat(api.received).isEmpty();
            assertThat(registry.client(GITHUB).send(request, githubToken, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aTokenOfTheKeyBeforeARotationIsNoLongerSent() {
        DPoPAccessToken before = tokenFor(registry.client(GITHUB));
        DPoPHttpClient after = registry.rotate(GITHUB);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/never")).build();

        assertThatThrownBy(() -> after.send(request, before, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failsClosedWhenFullInsteadOfForgettingAKey() {
        DPoPKeyRegistry small = DPoPKeyRegistry.builder(HttpClient.newHttpClient()).maxScopes(1).build();
        small.client(GITHUB);

        assertThatThrownBy(() -> small.client(JIRA)).isInstanceOf(IllegalStateException.class);
        assertThat(small.scopes()).containsExactly(GITHUB);
    }

    @Test
    void usesTheKeySourceForEachScope() {
        DPoPKeyRegistry rsa = DPoPKeyRegistry.builder(HttpClient.newHttpClient())
                .keys(scope -> DPoPProofSigner.generate(DPoPAlgorithm.PS256)).build();

        assertThat(rsa.client(GITHUB).signer().algorithm()).isEqualTo(DPoPAlgorithm.PS256);
        assertThat(rsa.toString()).doesNotContain(rsa.client(GITHUB).signer().thumbprint());
    }
}
