package org.dpopj.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.IssuerCallListener;
import org.dpopj.core.spi.IssuerCallListener.Endpoint;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issuer-call hook for metrics: one notice per JWKS fetch or introspection call, with its outcome. */
class IssuerCallListenerTest extends LoopbackIssuerTest {

    private record Call(Endpoint endpoint, boolean succeeded) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final IssuerCallListener listener = (endpoint, succeeded) -> calls.add(new Call(endpoint, succeeded));
    private MutableClock clock;

    @BeforeEach
    void clock() {
        clock = new MutableClock(Instant.now());
    }

    private AccessTokenResolver fromSettings(Map<String, String> settings) {
        return AccessTokenResolvers.fromSettings(DPoPSettings.from(settings), clock, listener).orElseThrow();
    }

    @Test
    void jwksFetchesAreReportedWithTheirOutcome() throws DPoPException {
        AccessTokenResolver resolver = fromSettings(Map.of(AccessTokenResolvers.ISSUER, issuer.issuer(),
                AccessTokenResolvers.JWKS_URI, issuer.jwksUri().toString(),
                AccessTokenResolvers.AUDIENCE, LoopbackIssuer.AUDIENCE));
        String token = issuer.accessToken().lifetime(Duration.ofDays(1)).jwt();

        resolver.resolve(token, AuthScheme.BEARER);
        resolver.resolve(token, AuthScheme.BEARER);
        issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
        clock.advance(Duration.ofHours(3));
        assertThatThrownBy(() -> resolver.resolve(token, AuthScheme.BEARER)).isInstanceOf(DPoPException.class);

        assertThat(calls).containsExactly(new Call(Endpoint.JWKS, true), new Call(Endpoint.JWKS, false));
    }

    @Test
    void introspectionCallsAreReportedWithTheirOutcome() throws DPoPException {
        AccessTokenResolver resolver = fromSettings(Map.of(
                AccessTokenResolvers.INTROSPECTION_URI, issuer.introspectionUri().toString(),
                AccessTokenResolvers.INTROSPECTION_CLIENT_ID, LoopbackIssuer.CLIENT_ID,
                AccessTokenResolvers.INTROSPECTION_CLIENT_SECRET, LoopbackIssuer.CLIENT_SECRET,
                AccessTokenResolvers.INTROSPECTION_CACHE, "0s"));

        resolver.resolve(issuer.accessToken().lifetime(Duration.ofDays(365)).opaque(), AuthScheme.BEARER);
        issuer.introspection(new LoopbackIssuer.Answer(500, "text/plain", "down", Duration.ZERO));
        assertThatThrownBy(() -> resolver.resolve(issuer.accessToken().opaque(), AuthScheme.BEARER))
                .isInstanceOf(DPoPException.class);

        assertThat(calls).containsExactly(new Call(Endpoint.INTROSPECTION, true), new Call(Endpoint.INTROSPECTION, false));
    }

    @Test
    void aThrowingListenerDoesNotChangeTheOutcome() throws DPoPException {
        AccessTokenResolver resolver = JwtAccessTokenResolver.builder().issuer(issuer.issuer())
                .jwksUri(issuer.jwksUri()).audience(LoopbackIssuer.AUDIENCE).clock(clock)
                .issuerCallListener((endpoint, succeeded) -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();

        assertThat(resolver.resolve(issuer.accessToken().jwt(), AuthScheme.BEARER).subject()).isEqualTo(Optional.of("alice"));
    }
}
