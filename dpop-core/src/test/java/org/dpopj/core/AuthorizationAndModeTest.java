package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Authorization header (RFC 9449 §7.1, RFC 6750 §2.1), schemes and downgrade protection (§7.2). */
class AuthorizationAndModeTest extends ValidatorFixture {

    private final DPoPValidator validator = validator();

    private DPoPRequest withAuthorization(List<String> authorization, String proof) {
        return requestBuilder().authorizationHeaders(authorization)
                .dpopHeaders(proof == null ? List.of() : List.of(proof)).build();
    }

    @Test
    void answersNoCredentialsWithBareChallenge() {
        assertThatThrownBy(() -> validator.validate(withAuthorization(List.of(), null)))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    assertThat(e.error()).isEqualTo(DPoPError.MISSING_CREDENTIALS);
                    assertThat(validator.challenge(e).header("WWW-Authenticate"))
                            .contains("DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");
                });
    }

    @Test
    void treatsUnsupportedSchemeAsNoCredentials() {
        assertThatThrownBy(() -> validator.validate(withAuthorization(List.of("Basic dXNlcjpwYXNz"), null)))
                .isInstanceOfSatisfying(DPoPException.class, e -> assertThat(e.error()).isEqualTo(DPoPError.MISSING_CREDENTIALS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dpop", "DPOP", "DPoP", "dPoP"})
    void acceptsSchemeInAnyCase(String scheme) throws DPoPException {
        DPoPResult result = validator.validate(withAuthorization(List.of(scheme + " " + ProofFixture.TOKEN), proofs.es256().sign()));

        assertThat(result.scheme()).isEqualTo(AuthScheme.DPOP);
    }

    @Test
    void rejectsSeveralAuthorizationFields() {
        assertRejected(() -> validator.validate(withAuthorization(
                List.of("DPoP " + ProofFixture.TOKEN, "DPoP " + ProofFixture.TOKEN), proofs.es256().sign())),
                DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DPoP", "DPoP ", "DPoP a b", "DPoP a, Bearer b", "Bearer a, DPoP b", "Basic x, DPoP y", "DPoP a\"b", "DPoP =abc"})
    void rejectsMalformedCredentials(String authorization) {
        assertRejected(() -> validator.validate(withAuthorization(List.of(authorization), proofs.es256().sign())),
                DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @Test
    void rejectsTokenAlsoSentInQueryOrBody() {
        DPoPRequest request = requestBuilder().authorizationHeaders(List.of("DPoP " + ProofFixture.TOKEN))
                .dpopHeaders(List.of(proofs.es256().sign())).accessTokenInQueryOrBody(true).build();

        assertRejected(() -> validator.validate(request), DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @Test
    void rejectsTokenOnlyInQueryOrBody() {
        DPoPRequest request = requestBuilder().dpopHeaders(List.of(proofs.es256().sign())).accessTokenInQueryOrBody(true).build();

        assertRejected(() -> validator.validate(request), DPoPError.INVALID_REQUEST, Check.AUTHORIZATION);
    }

    @Test
    void rejectsBearerSchemeInDPoPOnlyMode() {
        assertRejected(() -> validator.validate(withAuthorization(List.of("Bearer " + ProofFixture.TOKEN), null)),
                DPoPError.INVALID_TOKEN, Check.AUTHORIZATION);
    }

    @Test
    void rejectsUnboundTokenPresentedWithDPoPScheme() {
        tokens.put(ProofFixture.TOKEN, AccessToken.builder().subject("alice").build());

        assertRejected(() -> validator.validate(request(proofs.es256().sign())), DPoPError.INVALID_TOKEN, Check.ACCESS_TOKEN);
    }

    @Test
    void rejectsInvalidToken() {
        tokens.fail(ProofFixture.TOKEN, DPoPException.invalidToken(Check.ACCESS_TOKEN, "expired"));

        assertRejected(() -> validator.validate(request(proofs.es256().sign())), DPoPError.INVALID_TOKEN, Check.ACCESS_TOKEN);
    }

    @Test
    void rejectsTokenBoundToAnotherKey() {
        tokens.bind(ProofFixture.TOKEN, proofs.key("ES256", "other").calculateBase64urlEncodedThumbprint("SHA-256"));

        assertRejected(() -> validator.validate(request(proofs.es256().sign())), DPoPError.INVALID_TOKEN, Check.KEY_BINDING);
    }

    @Test
    void rejectsStolenTokenWithThiefsOwnKey() {
        String proof = proofs.of("ES256").signedBy(proofs.key("ES256", "thief"))
                .jwk(proofs.key("ES256", "thief").toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY)).sign();

        assertRejected(() -> validator.validate(request(proof)), DPoPError.INVALID_TOKEN, Check.KEY_BINDING);
    }

    @Test
    void answersUnreachableIssuerWith503AndRetryAfter() {
        tokens.fail(ProofFixture.TOKEN, DPoPException.unavailable(Check.ACCESS_TOKEN, "issuer down",
                java.time.Duration.ofSeconds(7), null));

        assertThatThrownBy(() -> validator.validate(request(proofs.es256().sign())))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    HttpChallenge challenge = validator.challenge(e);
                    assertThat(challenge.status()).isEqualTo(503);
                    assertThat(challenge.header("Retry-After")).contains("7");
                    assertThat(challenge.header("WWW-Authenticate")).isEmpty();
                });
    }

    @Test
    void answersResolverBugWith503NotSuccess() {
        DPoPValidator broken = builder().accessTokenResolver((token, scheme) -> {
            throw new IllegalStateException("bug");
        }).build();

        assertRejected(() -> broken.validate(request(proofs.es256().sign())), DPoPError.TEMPORARILY_UNAVAILABLE, Check.ACCESS_TOKEN);
    }

    @Test
    void refusesRequestWhenACheckThrowsUnexpectedly() {
        DPoPValidator broken = builder().replayStore(storeAnswering((scope, key, expiresAt) -> org.dpopj.core.spi.ReplayStore.Outcome.FIRST_USE)).clock(new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                throw new ArithmeticException("broken clock");
            }
        }).build();

        assertRejected(() -> broken.validate(request(proofs.es256().sign())), DPoPError.INVALID_DPOP_PROOF, Check.NONCE);
    }

    @Test
    void mixedModeAcceptsUnboundBearerToken() throws DPoPException {
        tokens.put("plain", AccessToken.builder().subject("bob").build());
        DPoPValidator mixed = builder().mode(Mode.DPOP_OR_BEARER).build();

        DPoPResult result = mixed.validate(withAuthorization(List.of("Bearer plain"), null));

        assertThat(result.scheme()).isEqualTo(AuthScheme.BEARER);
        assertThat(result.binding()).isEmpty();
        assertThat(result.subject()).contains("bob");
    }

    @Test
    void mixedModeRejectsBoundTokenPresentedAsBearer() {
        DPoPValidator mixed = builder().mode(Mode.DPOP_OR_BEARER).build();
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());

        assertThatThrownBy(() -> mixed.validate(withAuthorization(List.of("Bearer " + ProofFixture.TOKEN), null)))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    assertThat(e.error()).isEqualTo(DPoPError.INVALID_TOKEN);
                    assertThat(e.failedCheck()).contains(Check.KEY_BINDING);
                    List<HttpChallenge.Header> challenges = mixed.challenge(e).headers().stream()
                            .filter(h -> h.name().equals("WWW-Authenticate")).toList();
                    assertThat(challenges).extracting(HttpChallenge.Header::value).containsExactly(
                            "Bearer error=\"invalid_token\", error_description=\"DPoP-bound token presented as a Bearer token\"",
                            "DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");
                });
    }

    @Test
    void mixedModeRejectsIntrospectedDPoPTokenTypePresentedAsBearer() {
        DPoPValidator mixed = builder().mode(Mode.DPOP_OR_BEARER).build();
        tokens.put("opaque", AccessToken.builder().tokenType("DPoP").build());

        assertRejected(() -> mixed.validate(withAuthorization(List.of("Bearer opaque"), null)),
                DPoPError.INVALID_TOKEN, Check.KEY_BINDING);
    }

    @Test
    void mixedModeChallengesWithBothSchemes() {
        DPoPValidator mixed = builder().mode(Mode.DPOP_OR_BEARER).build();

        assertThatThrownBy(() -> mixed.validate(withAuthorization(List.of(), null)))
                .isInstanceOfSatisfying(DPoPException.class, e -> assertThat(mixed.challenge(e).headers())
                        .extracting(HttpChallenge.Header::value)
                        .contains("Bearer", "DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\""));
    }

    @Test
    void requireScopesAnswersInsufficientScopeWith403() throws DPoPException {
        DPoPResult result = validator.validate(request(proofs.es256().sign()));

        assertThatThrownBy(() -> result.requireScopes(List.of("orders:write")))
                .isInstanceOfSatisfying(DPoPException.class, e -> {
                    assertThat(e.error()).isEqualTo(DPoPError.INSUFFICIENT_SCOPE);
                    assertThat(validator.challenge(e).status()).isEqualTo(403);
                    assertThat(validator.challenge(e).header("WWW-Authenticate").orElseThrow())
                            .startsWith("DPoP error=\"insufficient_scope\"");
                });
    }

    @Test
    void requireScopesPassesWhenGranted() throws DPoPException {
        validator.validate(request(proofs.es256().sign())).requireScopes(List.of("orders:read"));
    }
}
