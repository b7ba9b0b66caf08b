package org.dpopj.core.token;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.testing.Proofs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the validator logs at WARNING while a dependency answers 503: an outage's start and end, not each request. */
class OutageLoggingTest {

    private static final String URL = "https://api.example.com/orders";

    private final Proofs proofs = new Proofs();

    private DPoPRequest request() {
        return DPoPRequest.builder().method("GET").targetUri(URL)
                .dpopHeaders(List.of(proofs.proof("GET", URL, Proofs.TOKEN)))
                .authorizationHeaders(List.of("DPoP " + Proofs.TOKEN))
                .build();
    }

    @Test
    void logsRequestsRefusedWith503ForAnUnavailableIssuerBelowWarning() {
        DPoPValidator validator = proofs.validator().accessTokenResolver((token, scheme) -> {
            throw DPoPException.unavailable(Check.ACCESS_TOKEN, "issuer down", Duration.ofSeconds(5),
                    new IOException("refused"));
        }).build();
        try (CapturedLog log = CapturedLog.of(DPoPValidator.class)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> validator.validate(request())).isInstanceOf(DPoPException.class);
            }

            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void logsAReplayStoreOutageOnceWhenItStartsAndOnceWhenItEnds() throws DPoPException {
        AtomicBoolean down = new AtomicBoolean(true);
        ReplayStore working = new Proofs.MapReplayStore();
        ReplayStore store = new ReplayStore() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                if (down.get()) {
                    throw new IllegalStateException("cache cluster unreachable");
                }
                return working.markUsed(scope, key, expiresAt);
            }

            @Override
            public boolean isClusterWide() {
                return true;
            }
        };
        DPoPValidator validator = proofs.validator().replayStore(store).build();
        try (CapturedLog log = CapturedLog.of(DPoPValidator.class)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> validator.validate(request())).isInstanceOf(DPoPException.class);
            }
            down.set(false);
            validator.validate(request());
            validator.validate(request());

            log.assertOneOutageStartAndEnd("refuses proofs", "accepts proofs again");
        }
    }
}
