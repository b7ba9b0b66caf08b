package org.dpopj.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;

import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replay store's fill level, read back through the OpenTelemetry SDK from a real embedded store. */
class ReplayStoreGaugesTest {

    private static final Duration WINDOW = Duration.ofSeconds(70);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final JCacheReplayStore store = JCacheReplayStore.builder().cacheName("gauges-" + UUID.randomUUID())
            .entryLifetime(WINDOW).maxEntries(10).maxPerScope(10).clock(clock).build();

    @AfterEach
    void close() {
        store.close();
        meters.close();
    }

    private ReplayStoreGauges gaugesOf(ReplayStore observed) {
        return new ReplayStoreGauges(meters.get(DPoPInstruments.SCOPE), observed::usage);
    }

    private void fill(int entries) {
        for (int i = 0; i < entries; i++) {
            store.markUsed("scope", "key-" + UUID.randomUUID(), clock.instant().plus(WINDOW));
        }
    }

    private static Optional<Long> value(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(metric -> metric.getName().equals(name))
                .flatMap(metric -> metric.getLongSumData().getPoints().stream())
                .map(point -> point.getValue()).findFirst();
    }

    @Test
    void reportsTheLiveEntriesAndTheCapacityOfTheStore() {
        gaugesOf(store);
        fill(3);

        Collection<MetricData> metrics = reader.collectAllMetrics();

        assertThat(value(metrics, ReplayStoreGauges.ENTRIES)).contains(3L);
        assertThat(value(metrics, ReplayStoreGauges.CAPACITY)).contains(10L);
        assertThat(value(metrics, ReplayStoreGauges.WARNINGS)).contains(0L);
        assertThat(value(metrics, ReplayStoreGauges.REFUSALS)).contains(0L);
    }

    @Test
    void entriesAreUpDownCountersAndWarningsAndRefusalsAreMonotonic() {
        gaugesOf(store);

        Collection<MetricData> metrics = reader.collectAllMetrics();

        assertThat(metrics).filteredOn(metric -> metric.getName().startsWith("dpop.replay."))
                .allSatisfy(metric -> assertThat(metric.getLongSumData().isMonotonic())
                        .as(metric.getName()).isEqualTo(metric.getName().equals(ReplayStoreGauges.WARNINGS)
                                || metric.getName().equals(ReplayStoreGauges.REFUSALS)))
                .hasSize(4);
    }

    @Test
    void countsTheCrossingOfEightyPercentAndTheRefusalsOfAFullStore() {
        gaugesOf(store);
        fill(12);

        Collection<MetricData> metrics = reader.collectAllMetrics();

        assertThat(value(metrics, ReplayStoreGauges.ENTRIES)).contains(10L);
        assertThat(value(metrics, ReplayStoreGauges.WARNINGS)).contains(1L);
        assertThat(value(metrics, ReplayStoreGauges.REFUSALS)).contains(2L);
    }

    @Test
    void reportsFewerEntriesOnceTheyExpired() {
        gaugesOf(store);
        fill(5);
        clock.advance(WINDOW.plusSeconds(5));
        fill(1);

        assertThat(value(reader.collectAllMetrics(), ReplayStoreGauges.ENTRIES)).contains(1L);
    }

    @Test
    void recordsNothingForAStoreThatDoesNotCountItsEntries() {
        gaugesOf(new ReplayStore() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                return Outcome.FIRST_USE;
            }

            @Override
            public boolean isClusterWide() {
                return true;
            }
        });

        assertThat(reader.collectAllMetrics()).noneMatch(metric -> metric.getName().startsWith("dpop.replay."));
    }

    @Test
    void recordsNothingOnceClosed() {
        gaugesOf(store).close();
        fill(3);

        assertThat(reader.collectAllMetrics()).noneMatch(metric -> metric.getName().startsWith("dpop.replay."));
    }
}
