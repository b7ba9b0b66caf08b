package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.assertj.core.api.ThrowableAssert;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.ReplayStore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared pieces of the validator tests: a pinned clock, a token table and request builders. */
class ValidatorFixture {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final ProofFixture proofs = new ProofFixture(NOW);
    final TokenTable tokens = new TokenTable();
    final ReplayStore replayStore = TestReplayStores.ehcache(Duration.ofSeconds(200), clock);

    DPoPValidatorBuilder builder() {
        return DPoPValidator.builder().clock(clock).replayStore(replayStore).accessTokenResolver(tokens);
    }

    /** Binds {@link ProofFixture#TOKEN} to the default ES256 key. */
    DPoPValidator validator() {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        return builder().build();
    }

    static DPoPRequest request(String proof) {
        return request("GET", ProofFixture.HTU, proof);
    }

    static DPoPRequest request(String method, String uri, String proof) {
        return DPoPRequest.builder()
                .method(method)
                .targetUri(uri)
                .dpopHeaders(proof == null ? List.of() : List.of(proof))
                .authorizationHeaders(List.of("DPoP " + ProofFixture.TOKEN))
                .build();
    }

    static DPoPRequest.Builder requestBuilder() {
        return DPoPRequest.builder().method("GET").targetUri(ProofFixture.HTU);
    }

    static void assertRejected(ThrowableAssert.ThrowingCallable call, DPoPError error, Check check) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.error()).as("error").isEqualTo(error);
                    org.assertj.core.api.Assertions.assertThat(e.failedCheck()).as("failed check").contains(check);
                });
    }

    /** The answer of a replay store stub: what {@code markUsed} does. */
    @FunctionalInterface
    interface MarkUsed {
        ReplayStore.Outcome markUsed(String scope, String key, java.time.Instant expiresAt);
    }

    /** @return a cluster-wide replay store that answers with {@code answer} (for failure paths only) */
    static ReplayStore storeAnswering(MarkUsed answer) {
        return new ReplayStore() {
            @Override
            public Outcome markUsed(String scope, String key, java.time.Instant expiresAt) {
                return answer.markUsed(scope, key, expiresAt);
            }

            @Override
            public boolean isClusterWide() {
                return true;
            }
        };
    }

    /** Access tokens known to the test, as a resolver would validate them. */
    static final class TokenTable implements AccessTokenResolver {
        private final Map<String, Object> answers = new ConcurrentHashMap<>();

        void bind(String token, String jkt) {
            answers.put(token, AccessToken.builder().subject("alice").clientId("client-1").scope("orders:read")
                    .jkt(jkt).build());
        }

        void put(String token, AccessToken accessToken) {
            answers.put(token, accessToken);
        }

        void fail(String token, DPoPException failure) {
            answers.put(token, failure);
        }

        @Override
        public AccessToken resolve(String token, AuthScheme scheme) throws DPoPException {
            Object answer = answers.get(token);
            if (answer instanceof DPoPException) {
                throw (DPoPException) answer;
            }
            if (answer == null) {
                throw DPoPException.invalidToken(Check.ACCESS_TOKEN, "unknown token");
            }
            return (AccessToken) answer;
        }
    }
}
