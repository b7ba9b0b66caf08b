package org.dpopj.observability;

import java.util.Optional;
import java.util.function.Supplier;

import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

import org.dpopj.core.spi.ReplayStore;

/**
 * The replay store's fill level as OpenTelemetry instruments, read from {@link ReplayStore#usage()}
 * once per collection (one snapshot for all four, so that they agree):
 * <ul>
 * <li>{@value #ENTRIES} (up-down counter): the live entries this node recorded;</li>
 * <li>{@value #CAPACITY} (up-down counter): their bound, at which new proofs get 503 (both add up
 *     across nodes; alert on {@code entries / capacity} above 0.8);</li>
 * <li>{@value #WARNINGS} (counter): how often the store crossed 80% of its bound (each crossing
 *     also logs one WARNING);</li>
 * <li>{@value #REFUSALS} (counter): proofs refused because the store or the proof key's share of it
 *     was full. {@code dpop.validations} counts them as {@code check=jti_replay},
 *     {@code error=temporarily_unavailable}, together with the failures of the store.</li>
 * </ul>
 * A store without {@link ReplayStore#usage()}, or none yet, records nothing. Thread-safe.
 */
final class ReplayStoreGauges implements AutoCloseable {

    static final String ENTRIES = "dpop.replay.entries";
    static final String CAPACITY = "dpop.replay.capacity";
    static final String WARNINGS = "dpop.replay.warnings";
    static final String REFUSALS = "dpop.replay.refusals";

    private final BatchCallback callback;

    /** @param usage the current snapshot, or empty when there is none; called on the exporter's thread */
    ReplayStoreGauges(Meter meter, Supplier<Optional<ReplayStore.Usage>> usage) {
        ObservableLongMeasurement entries = meter.upDownCounterBuilder(ENTRIES).setUnit("{entry}")
                .setDescription("Live entries this node recorded in the DPoP replay store").buildObserver();
        ObservableLongMeasurement capacity = meter.upDownCounterBuilder(CAPACITY).setUnit("{entry}")
                .setDescription("The bound of live entries; at it, new proofs get 503").buildObserver();
        ObservableLongMeasurement warnings = meter.counterBuilder(WARNINGS).setUnit("{warning}")
                .setDescription("Times the DPoP replay store crossed 80% of its bound").buildObserver();
        ObservableLongMeasurement refusals = meter.counterBuilder(REFUSALS).setUnit("{refusal}")
                .setDescription("Proofs refused because the replay store or the key's share was full").buildObserver();
        this.callback = meter.batchCallback(() -> usage.get().ifPresent(now -> {
            entries.record(now.liveEntries());
            capacity.record(now.maxEntries());
            warnings.record(now.nearlyFullWarnings());
            refusals.record(now.refusals());
        }), entries, capacity, warnings, refusals);
    }

    /** Stops reporting: the meter provider may outlive the application (a server-wide SDK). */
    @Override
    public void close() {
        callback.close();
    }
}
