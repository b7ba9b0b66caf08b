package org.dpopj.observability;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.IssuerCallListener;

/**
 * Records the application validator's decisions and issuer calls as OpenTelemetry metrics (see
 * {@link DPoPInstruments} for the names), through the {@link OpenTelemetry} that MicroProfile
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

    private DPoPInstruments instruments;

    /** For CDI. */
    public DPoPMetrics() {
    }

    @PostConstruct
    void createInstruments() {
        OpenTelemetry telemetry = openTelemetry.isResolvable() ? openTelemetry.get() : GlobalOpenTelemetry.get();
        instruments = new DPoPInstruments(telemetry.getMeter(DPoPInstruments.SCOPE));
    }

    @Override
    public void onEvent(DPoPAuditEvent event) {
        instruments.decided(event, null);
    }

    @Override
    public void onEvent(DPoPAuditEvent event, Duration elapsed) {
        instruments.decided(event, elapsed);
    }

    @Override
    public void onCall(Endpoint endpoint, boolean succeeded) {
        instruments.issuerCalled(endpoint, succeeded);
    }
}
