package org.dpopj.observability;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.NonceMode;
import org.dpopj.core.spi.NonceSource;

/**
 * A MicroProfile Health readiness check named {@value #NAME} for the application's validator (the one
 * dpop-cdi builds): UP when the token issuer answers ({@link IssuerProbe}), the replay store records
 * entries ({@link ReplayStoreProbe}) and, when nonces are required, a shared nonce secret is set
 * ({@code dpop.nonce.secret}, or a {@link NonceSource} bean; without one each node makes nonces the
 * others refuse). A store at capacity refuses the probe as it refuses every new proof (with 503), so
 * the check is DOWN until entries expire and a load balancer sends new requests to other nodes; one
 * proof key at its share of the store does not turn it DOWN (the probe has a scope of its own).
 * MicroProfile Health has no "degraded" state: between 80% and 100% the check stays UP, and its data
 * {@code replay-entries} and {@code replay-capacity} (for a store that counts them) show how full
 * the store is. Each call probes anew, so the check turns DOWN at the first call after an outage
 * begins and UP at the first after it ends. Its data name each part and what was found, never a
 * secret. Added by {@link ObservabilityExtension} only when MicroProfile Health is present.
 *
 * <p>Application-scoped and thread-safe. Not designed for extension: non-final only so that CDI can
 * proxy it.
 */
@Readiness
@ApplicationScoped
public class DPoPReadinessCheck implements HealthCheck {

    static final String NAME = "dpop";

    @Inject
    Instance<DPoPValidator> validator;

    @Inject
    Instance<DPoPSettings> settings;

    @Inject
    Instance<NonceSource> nonceSources;

    private final ReplayStoreProbe replayStoreProbe = new ReplayStoreProbe(Clock.systemUTC());
    private volatile Optional<IssuerProbe> issuerProbe;

    /** For CDI. */
    public DPoPReadinessCheck() {
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        try (Instance.Handle<DPoPValidator> validatorHandle = validator.getHandle();
             Instance.Handle<DPoPSettings> settingsHandle = settings.getHandle()) {
            return check(response, validatorHandle.get(), settingsHandle.get());
        } catch (DPoPConfigurationException e) {
            return response.down().withData("validator", "not configured: " + e.key()).build();
        }
    }

    private HealthCheckResponse check(HealthCheckResponseBuilder response, DPoPValidator current, DPoPSettings configured) {
        boolean up = true;

        Optional<IssuerProbe> probe = issuerProbe(configured);
        if (probe.isPresent()) {
            IssuerProbe.Result issuer = probe.get().probe();
            up &= issuer.reachable();
            response.withData("issuer", (issuer.reachable() ? "UP " : "DOWN ") + issuer.detail());
        } else {
            response.withData("issuer", "not probed: the access-token resolver is the application's own");
        }

        ReplayStoreProbe.Result replay = replayStoreProbe.probe(current.replayStore());
        up &= replay.writable();
        response.withData("replay-store", (replay.writable() ? "UP " : "DOWN ") + replay.detail());
        current.replayStore().usage().ifPresent(usage -> response.withData("replay-entries", usage.liveEntries())
                .withData("replay-capacity", usage.maxEntries()));

        if (current.nonceMode() != NonceMode.OFF) {
            boolean shared = configured.string(DPoPSettings.NONCE_SECRET).isPresent() || nonceSources.isResolvable();
            up &= shared;
            response.withData("nonce-secret", shared ? "UP configured"
                    : "DOWN nonces are required but " + DPoPSettings.NONCE_SECRET + " is not set");
        }
        return response.status(up).build();
    }

    private Optional<IssuerProbe> issuerProbe(DPoPSettings configured) {
        Optional<IssuerProbe> probe = issuerProbe;
        if (probe == null) {
            probe = IssuerProbe.fromSettings(configured);
            issuerProbe = probe;
        }
        return probe;
    }
}
