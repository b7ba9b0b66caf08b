package org.dpopj.observability;

import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.IssuerCallListener;
import org.dpopj.core.spi.ReplayStore;

/**
 * Records the application validator's decisions and issuer calls as OpenTelemetry metrics (see
 * {@link DPoPInstruments} for the names), and the fill level of its replay store (see
 * {@link ReplayStoreGauges}; reported from the validator's first decision on, since this bean never
 * builds the validator itself: it would do so on the exporter's thread, outside the application), through the {@link OpenTelemetry} that MicroProfile
 * Telemetry provides as a CDI bean, else {@link GlobalOpenTelemetry}. dpop-cdi hands this bean every
 * decision of the validator it builds; a filter configured with its own settings has its own
 * validator, which this bean does not see. Added by {@link ObservabilityExtension} only when the
 * OpenTelemetry API is present; exporting (OTLP, interval) is the server's configuration.
 *
 * <p>Application-scoped and thread-safe. Not designed for extension: non-final only so that CDI can
 * proxy it.
 */
@ApplicationScoped
public class DPoPMetrics implements AuditListener, IssuerCallListener {

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    @Inject
    Instance<DPoPValidator> validator;

    private DPoPInstruments instruments;
    private ReplayStoreGauges replayStoreGauges;
    /** The application validator's store, once a decision proved that the validator exists. */
    private volatile ReplayStore replayStore;

    /** For CDI. */
    public DPoPMetrics() {
    }

    @PostConstruct
    void createInstruments() {
        OpenTelemetry telemetry = openTelemetry.isResolvable() ? openTelemetry.get() : GlobalOpenTelemetry.get();
        instruments = new DPoPInstruments(telemetry.getMeter(DPoPInstruments.SCOPE));
        replayStoreGauges = new ReplayStoreGauges(telemetry.getMeter(DPoPInstruments.SCOPE), this::replayUsage);
    }

    @PreDestroy
    void stopObserving() {
        replayStoreGauges.close();
    }

    private Optional<ReplayStore.Usage> replayUsage() {
        ReplayStore store = replayStore;
        return store == null ? Optional.empty() : store.usage();
    }

    /** On the thread of a decision, where the validator exists and its look-up is the application's. */
    private void findReplayStore() {
        if (replayStore == null) {
            try (Instance.Handle<DPoPValidator> handle = validator.getHandle()) {
                replayStore = handle.get().replayStore();
            } catch (RuntimeException e) {
                // not the application's validator (none configured): there is no store to report
            }
        }
    }

    @Override
    public void onEvent(DPoPAuditEvent event) {
        findReplayStore();
        instruments.decided(event, null);
    }

    @Override
    public void onEvent(DPoPAuditEvent event, Duration elapsed) {
        findReplayStore();
        instruments.decided(event, elapsed);
    }

    @Override
    public void onCall(Endpoint endpoint, boolean succeeded) {
        instruments.issuerCalled(endpoint, succeeded);
    }
}
