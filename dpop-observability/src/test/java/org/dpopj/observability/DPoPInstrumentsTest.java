package org.dpopj.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPError;
import org.dpopj.core.spi.IssuerCallListener.Endpoint;
import org.junit.jupiter.api.Test;

/** What each decision and issuer call adds to the instruments, read back through the OpenTelemetry SDK. */
class DPoPInstrumentsTest {

    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final DPoPInstruments instruments = new DPoPInstruments(
            SdkMeterProvider.builder().registerMetricReader(reader).build().get(DPoPInstruments.SCOPE));

    private static DPoPAuditEvent accepted() {
        return new DPoPAuditEvent(Instant.EPOCH, true, Optional.of(AuthScheme.DPOP), List.of(Check.values()),
                Optional.empty(), Optional.empty(), Optional.of("jkt"), Optional.of("hash"), Optional.empty(), Optional.empty());
    }

    private static DPoPAuditEvent refused(Check check, DPoPError error) {
        return new DPoPAuditEvent(Instant.EPOCH, false, Optional.of(AuthScheme.DPOP), List.of(), Optional.of(check),
                Optional.of(error), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static long sum(Collection<MetricData> metrics, String name, Attributes attributes) {
        return metrics.stream().filter(metric -> metric.getName().equals(name))
                .flatMap(metric -> metric.getLongSumData().getPoints().stream())
                .filter(point -> point.getAttributes().equals(attributes))
                .mapToLong(point -> point.getValue()).sum();
    }

    @Test
    void validationsAreCountedByOutcomeFailedCheckAndError() {
        instruments.decided(accepted(), Duration.ofMillis(2));
        instruments.decided(accepted(), Duration.ofMillis(3));
        instruments.decided(refused(Check.HTU, DPoPError.INVALID_DPOP_PROOF), Duration.ofMillis(1));

        Collection<MetricData> metrics = reader.collectAllMetrics();
        assertThat(sum(metrics, DPoPInstruments.VALIDATIONS, Attributes.of(DPoPInstruments.OUTCOME, "accepted",
                DPoPInstruments.SCHEME, "dpop"))).isEqualTo(2);
        assertThat(sum(metrics, DPoPInstruments.VALIDATIONS, Attributes.builder().put(DPoPInstruments.OUTCOME, "rejected")
                .put(DPoPInstruments.SCHEME, "dpop").put(DPoPInstruments.CHECK, "htu")
                .put(DPoPInstruments.ERROR, "invalid_dpop_proof").build())).isEqualTo(1);
    }

    @Test
    void challengesAreCountedWithAndWithoutANonceAndA503IsNoChallenge() {
        instruments.decided(refused(Check.NONCE, DPoPError.USE_DPOP_NONCE), null);
        instruments.decided(refused(Check.ATH, DPoPError.INVALID_DPOP_PROOF), null);
        instruments.decided(refused(Check.JTI_REPLAY, DPoPError.INVALID_DPOP_PROOF), null);
        instruments.decided(refused(Check.ACCESS_TOKEN, DPoPError.TEMPORARILY_UNAVAILABLE), null);

        Collection<MetricData> metrics = reader.collectAllMetrics();
        assertThat(sum(metrics, DPoPInstruments.CHALLENGES, Attributes.of(DPoPInstruments.NONCE, true))).isEqualTo(1);
        assertThat(sum(metrics, DPoPInstruments.CHALLENGES, Attributes.of(DPoPInstruments.NONCE, false))).isEqualTo(2);
    }

    @Test
    void issuerCallsAreCountedByEndpointAndOutcome() {
        instruments.issuerCalled(Endpoint.JWKS, true);
        instruments.issuerCalled(Endpoint.JWKS, false);
        instruments.issuerCalled(Endpoint.INTROSPECTION, true);

        Collection<MetricData> metrics = reader.collectAllMetrics();
        assertThat(sum(metrics, DPoPInstruments.ISSUER_CALLS, Attributes.of(DPoPInstruments.ENDPOINT, "jwks",
                DPoPInstruments.OUTCOME, "failure"))).isEqualTo(1);
        assertThat(sum(metrics, DPoPInstruments.ISSUER_CALLS, Attributes.of(DPoPInstruments.ENDPOINT, "introspection",
                DPoPInstruments.OUTCOME, "success"))).isEqualTo(1);
    }

    @Test
    void eachTimedValidationIsOneHistogramSampleInSeconds() {
        instruments.decided(accepted(), Duration.ofMillis(250));
        instruments.decided(refused(Check.SCOPE, DPoPError.INSUFFICIENT_SCOPE), null);

        MetricData histogram = reader.collectAllMetrics().stream()
                .filter(metric -> metric.getName().equals(DPoPInstruments.DURATION)).findFirst().orElseThrow();
        assertThat(histogram.getUnit()).isEqualTo("s");
        assertThat(histogram.getHistogramData().getPoints()).singleElement().satisfies(point -> {
            assertThat(point.getCount()).isEqualTo(1);
            assertThat(point.getSum()).isEqualTo(0.25);
        });
    }
}
