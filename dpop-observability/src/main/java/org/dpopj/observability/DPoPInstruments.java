package org.dpopj.observability;

import java.time.Duration;
import java.util.Locale;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPError;
import org.dpopj.core.spi.IssuerCallListener;

/**
 * The OpenTelemetry instruments of one validator and what each decision adds to them. Attribute
 * values are the stable names of {@link org.dpopj.core.Check} and {@link DPoPError} in lower case
 * ({@code htu}, {@code ath}, {@code jti_replay}, {@code nonce}; {@code invalid_dpop_proof},
 * {@code use_dpop_nonce}): a small, fixed set, never anything a client chose.
 * <ul>
 * <li>{@value #VALIDATIONS} (counter): {@code outcome} = {@code accepted}|{@code rejected},
 *     {@code check} = the failed check, {@code error} = the refusal's class, {@code scheme} = {@code dpop}|{@code bearer};</li>
 * <li>{@value #CHALLENGES} (counter): the refusals answered with a {@code WWW-Authenticate} challenge
 *     (every one but a 503), {@code nonce} = {@code true} when it carried a fresh {@code DPoP-Nonce};</li>
 * <li>{@value #ISSUER_CALLS} (counter): {@code endpoint} = {@code jwks}|{@code introspection},
 *     {@code outcome} = {@code success}|{@code failure};</li>
 * <li>{@value #DURATION} (histogram, seconds): the time of each validation, by {@code outcome}.</li>
 * </ul>
 * Thread-safe (the instruments are).
 */
final class DPoPInstruments {

    static final String SCOPE = "org.dpopj";
    static final String VALIDATIONS = "dpop.validations";
    static final String CHALLENGES = "dpop.challenges";
    static final String ISSUER_CALLS = "dpop.issuer.calls";
    static final String DURATION = "dpop.validation.duration";

    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> CHECK = AttributeKey.stringKey("check");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("error");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("scheme");
    static final AttributeKey<Boolean> NONCE = AttributeKey.booleanKey("nonce");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");

    private final LongCounter validations;
    private final LongCounter challenges;
    private final LongCounter issuerCalls;
    private final DoubleHistogram duration;

    DPoPInstruments(Meter meter) {
        this.validations = meter.counterBuilder(VALIDATIONS).setUnit("{validation}")
                .setDescription("DPoP validations by outcome, failed check and error").build();
        this.challenges = meter.counterBuilder(CHALLENGES).setUnit("{challenge}")
                .setDescription("WWW-Authenticate challenges sent, with and without a DPoP-Nonce").build();
        this.issuerCalls = meter.counterBuilder(ISSUER_CALLS).setUnit("{call}")
                .setDescription("Calls to the token issuer (JWKS fetches, introspection) by outcome").build();
        this.duration = meter.histogramBuilder(DURATION).setUnit("s")
                .setDescription("Time to validate one request").build();
    }

    void decided(DPoPAuditEvent event, Duration elapsed) {
        Attributes outcome = Attributes.of(OUTCOME, event.accepted() ? "accepted" : "rejected");
        var attributes = outcome.toBuilder();
        event.scheme().ifPresent(scheme -> attributes.put(SCHEME, scheme.name().toLowerCase(Locale.ROOT)));
        event.failedCheck().ifPresent(check -> attributes.put(CHECK, check.name().toLowerCase(Locale.ROOT)));
        event.error().ifPresent(error -> attributes.put(ERROR, error.name().toLowerCase(Locale.ROOT)));
        validations.add(1, attributes.build());
        event.error().filter(error -> error != DPoPError.TEMPORARILY_UNAVAILABLE)
                .ifPresent(error -> challenges.add(1, Attributes.of(NONCE, error == DPoPError.USE_DPOP_NONCE)));
        if (elapsed != null) {
            duration.record(elapsed.toNanos() / 1e9, outcome);
        }
    }

    void issuerCalled(IssuerCallListener.Endpoint endpoint, boolean succeeded) {
        issuerCalls.add(1, Attributes.of(ENDPOINT, endpoint.name().toLowerCase(Locale.ROOT),
                OUTCOME, succeeded ? "success" : "failure"));
    }
}
