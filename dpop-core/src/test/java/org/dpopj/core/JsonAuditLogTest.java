package org.dpopj.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.dpopj.core.audit.JsonAuditLog;
import org.dpopj.core.jose.Sha256;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.JsonWriter;
import org.dpopj.core.json.StrictJson;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.testing.ProofFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code dpop.audit.log=json}: one JSON line per decision on {@code org.dpopj.audit}, never a secret. */
class JsonAuditLogTest extends ValidatorFixture {

    private static final byte[] NONCE_SECRET = "a nonce secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(JsonAuditLog.LOGGER);
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
    }

    private DPoPValidator jsonAudited(Map<String, String> more) {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        Map<String, String> values = new java.util.HashMap<>(more);
        values.put(DPoPSettings.AUDIT_LOG, "json");
        return builder().settings(DPoPSettings.from(values)).replayStore(replayStore).accessTokenResolver(tokens).build();
    }

    private List<Map<String, Object>> lines() throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (LogRecord record : records) {
            assertThat(record.getLevel()).isEqualTo(Level.INFO);
            assertThat(record.getMessage()).doesNotContain("\n", "\r");
            lines.add(StrictJson.parseObject(record.getMessage(), JsonLimits.DOCUMENT));
        }
        return lines;
    }

    @Test
    void acceptedRequestIsOneLineWithWhoAndWhat() throws Exception {
        String proof = proofs.es256().jti("jti-accepted").sign();

        jsonAudited(Map.of()).validate(request(proof));

        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("outcome", "accepted").containsEntry("scheme", "DPoP")
                    .containsEntry("jkt", proofs.es256().thumbprint()).containsEntry("client_id", "client-1")
                    .containsEntry("sub", "alice").containsEntry("htm", "GET").containsEntry("htu", ProofFixture.HTU)
                    .containsEntry("jti_hash", Sha256.base64Url("jti-accepted").substring(0, 8))
                    .containsEntry("token_hash", new PresentedToken(ProofFixture.TOKEN, AuthScheme.DPOP).hashPrefix());
            assertThat(line).doesNotContainKeys("error", "check");
        });
    }

    @Test
    void refusedRequestNamesTheErrorAndTheFailedCheck() throws Exception {
        DPoPValidator validator = jsonAudited(Map.of());

        assertThatThrownBy(() -> validator.validate(request(proofs.es256().htm("POST").sign())));

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("outcome", "rejected").containsEntry("error", "invalid_dpop_proof")
                .containsEntry("check", "htm"));
    }

    @Test
    void requestWithoutCredentialsIsALineToo() throws Exception {
        DPoPValidator validator = jsonAudited(Map.of());

        assertThatThrownBy(() -> validator.validate(requestBuilder().build()));

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("outcome", "rejected").containsEntry("error", "missing_credentials"));
    }

    @Test
    void htuIsWrittenWithoutItsQuery() throws Exception {
        String secretQuery = "?access_token=" + ProofFixture.TOKEN + "&code=query-secret-marker";
        DPoPRequest request = request("GET", ProofFixture.HTU + secretQuery, proofs.es256().sign());

        jsonAudited(Map.of()).validate(request);

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line).containsEntry("htu", ProofFixture.HTU));
        assertThat(records.get(0).getMessage()).doesNotContain("query-secret-marker");
    }

    @Test
    void lineNeverCarriesTheTokenTheProofItsPartsTheJtiOrTheNonce() throws Exception {
        DPoPValidator validator = DPoPValidator.builder().clock(clock).replayStore(replayStore).accessTokenResolver(tokens)
                .settings(DPoPSettings.from(Map.of(DPoPSettings.AUDIT_LOG, "json")))
                .nonces(NonceMode.REQUIRED, HmacNonceSource.create(NONCE_SECRET, Duration.ofSeconds(60))).build();
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        String jti = "jti-secret-marker-0123456789";
        String withoutNonce = proofs.es256().jti(jti).sign();
        String nonce = null;
        try {
            validator.validate(request(withoutNonce));
        } catch (DPoPException e) {
            nonce = e.nonce().orElseThrow();
        }
        String withNonce = proofs.es256().jti(jti + "-2").nonce(nonce).sign();
        validator.validate(request(withNonce));
        assertThatThrownBy(() -> validator.validate(request(withNonce)));

        assertThat(records).hasSize(3);
        List<String> secrets = new ArrayList<>(List.of(ProofFixture.TOKEN, withoutNonce, withNonce, nonce, jti,
                new String(NONCE_SECRET, StandardCharsets.UTF_8)));
        for (String proof : List.of(withoutNonce, withNonce)) {
            secrets.addAll(List.of(proof.split("\\.")));
        }
        for (LogRecord record : records) {
            assertThat(record.getMessage()).doesNotContain(secrets);
        }
        assertThat(lines()).extracting(line -> line.get("error")).containsExactly("use_dpop_nonce", null, "invalid_dpop_proof");
    }

    @Test
    void applicationListenerIsCalledBesideTheJsonLog() throws Exception {
        List<DPoPAuditEvent> events = new CopyOnWriteArrayList<>();
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        DPoPValidator validator = builder().settings(DPoPSettings.from(Map.of(DPoPSettings.AUDIT_LOG, "json")))
                .replayStore(replayStore).accessTokenResolver(tokens).auditListener(events::add).build();

        validator.validate(request(proofs.es256().sign()));

        assertThat(events).hasSize(1);
        assertThat(records).hasSize(1);
    }

    @Test
    void isOffByDefault() throws Exception {
        tokens.bind(ProofFixture.TOKEN, proofs.es256().thumbprint());
        builder().settings(DPoPSettings.from(Map.of())).replayStore(replayStore).accessTokenResolver(tokens).build()
                .validate(request(proofs.es256().sign()));

        assertThat(records).isEmpty();
    }

    @Test
    void unknownValueIsAConfigurationError() {
        assertThatThrownBy(() -> builder().settings(DPoPSettings.from(Map.of(DPoPSettings.AUDIT_LOG, "yaml"))))
                .isInstanceOfSatisfying(DPoPConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(DPoPSettings.AUDIT_LOG));
    }

    @Test
    void hostileStringsStayInsideTheirJsonString() throws Exception {
        String hostile = "a\"b\\c\nd\re\u0000f\u2028g\u2029h\u007f\ud800i\",\"outcome\":\"accepted";

        String json = new JsonWriter().string("htu", hostile).close();

        assertThat(json).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0000");
        assertThat(StrictJson.parseObject(json, JsonLimits.DOCUMENT)).containsOnlyKeys("htu")
                .containsEntry("htu", hostile.replace('\ud800', '\ufffd'));
    }
}
