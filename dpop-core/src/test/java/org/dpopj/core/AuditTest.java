package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One audit event per decision, refusals for a missing scope included; never the token itself. */
class AuditTest extends ValidatorFixture {

    private final List<DPoPAuditEvent> events = new CopyOnWriteArrayList<>();

    private DPoPValidator audited() {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        return builder().auditListener(events::add).build();
    }

    @Test
    void acceptedRequestIsOneEventWithEveryCheckPassed() throws DPoPException {
        audited().validate(request(proofs.es256().sign()), List.of("orders:read"));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.accepted()).isTrue();
            assertThat(event.checksPassed()).endsWith(Check.KEY_BINDING, Check.JTI_REPLAY, Check.SCOPE);
            assertThat(event.thumbprint()).contains(proofs.es256().thumbprint());
            assertThat(event.clientId()).contains("client-1");
        });
    }

    @Test
    void missingScopeIsAnAuditedRefusal() {
        DPoPValidator validator = audited();

        assertThatThrownBy(() -> validator.validate(request(proofs.es256().sign()), List.of("orders:write")))
                .isInstanceOfSatisfying(DPoPException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.accepted()).isFalse();
            assertThat(event.failedCheck()).contains(Check.SCOPE);
            assertThat(event.error()).contains(DPoPError.INSUFFICIENT_SCOPE);
        });
    }

    @Test
    void refusedProofIsAnEventNamingTheFailedCheck() {
        DPoPValidator validator = audited();

        assertThatThrownBy(() -> validator.validate(request(proofs.es256().htm("POST").sign())));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.accepted()).isFalse();
            assertThat(event.failedCheck()).contains(Check.HTM);
        });
    }

    @Test
    void eventsNameTheTokenByItsHashPrefixOnly() throws DPoPException {
        audited().validate(request(proofs.es256().sign()));

        DPoPAuditEvent event = events.get(0);
        assertThat(event.tokenHashPrefix()).contains(new PresentedToken(ProofFixture.TOKEN, AuthScheme.DPOP).hashPrefix());
        assertThat(event.toString()).doesNotContain(ProofFixture.TOKEN);
    }

    @Test
    void aListenerThatWantsTheValidationTimeGetsItWithEachDecision() {
        List<java.time.Duration> times = new CopyOnWriteArrayList<>();
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().auditListener(new org.dpopj.core.spi.AuditListener() {
            @Override
            public void onEvent(DPoPAuditEvent event) {
                events.add(event);
            }

            @Override
            public void onEvent(DPoPAuditEvent event, java.time.Duration elapsed) {
                times.add(elapsed);
                onEvent(event);
            }
        }).build();

        assertThatThrownBy(() -> validator.validate(request(proofs.es256().htm("POST").sign())));

        assertThat(events).hasSize(1);
        assertThat(times).singleElement().satisfies(elapsed -> assertThat(elapsed).isPositive());
    }

    @Test
    void scopeRefusedAfterValidationIsAuditedToo() throws DPoPException {
        DPoPValidator validator = audited();
        DPoPResult result = validator.validate(request(proofs.es256().sign()));

        assertThatThrownBy(() -> validator.requireScopes(result, List.of("orders:write")))
                .isInstanceOfSatisfying(DPoPException.class, e -> assertThat(e.failedCheck()).contains(Check.SCOPE));
        assertThat(events).hasSize(2).last().satisfies(event -> {
            assertThat(event.accepted()).isFalse();
            assertThat(event.failedCheck()).contains(Check.SCOPE);
            assertThat(event.thumbprint()).contains(proofs.es256().thumbprint());
        });
    }
}
