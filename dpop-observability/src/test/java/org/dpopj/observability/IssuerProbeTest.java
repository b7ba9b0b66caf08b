package org.dpopj.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.token.AccessTokenResolvers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issuer part of the readiness check, against a real issuer on loopback. */
class IssuerProbeTest {

    private static LoopbackIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = LoopbackIssuer.start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @BeforeEach
    void reset() {
        issuer.reset();
    }

    private static IssuerProbe probe(Map<String, String> settings) {
        return IssuerProbe.fromSettings(DPoPSettings.from(settings)).orElseThrow();
    }

    @Test
    void aJwksThatAnswersIsReachable() {
        IssuerProbe.Result result = probe(Map.of(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString())).probe();

        assertThat(result.reachable()).as(result.detail()).isTrue();
    }

    @Test
    void aJwksThatAnswers503IsNotReachable() {
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));

        IssuerProbe.Result result = probe(Map.of(AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString())).probe();

        assertThat(result.reachable()).isFalse();
        assertThat(result.detail()).endsWith("/jwks answered 503");
    }

    @Test
    void anIssuerWhereNothingListensIsNotReachable() throws Exception {
        String refusing = LoopbackIssuer.refusingUri("/jwks").toString();

        IssuerProbe.Result result = probe(Map.of(AccessTokenResolvers.JWKS_URI, refusing)).probe();

        assertThat(result.reachable()).isFalse();
        assertThat(result.detail()).contains("unreachable");
    }

    @Test
    void anIntrospectionEndpointThatRefusesAnAnonymousCallIsReachable() {
        issuer.introspection(new LoopbackIssuer.Answer(401, "application/json", "{}", Duration.ZERO));

        IssuerProbe.Result result = probe(Map.of(AccessTokenResolvers.INTROSPECTION_URI,
                issuer.introspectionUri().toString())).probe();

        assertThat(result.reachable()).as(result.detail()).isTrue();
    }

    @Test
    void anIssuerAloneIsProbedThroughItsMetadata() {
        IssuerProbe.Result result = probe(Map.of(AccessTokenResolvers.ISSUER, issuer.issuer())).probe();

        assertThat(result.reachable()).as(result.detail()).isTrue();
    }

    @Test
    void noTokenSettingsMeansNothingToProbe() {
        assertThat(IssuerProbe.fromSettings(DPoPSettings.from(Map.of()))).isEmpty();
    }
}
