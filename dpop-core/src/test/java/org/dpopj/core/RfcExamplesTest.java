package org.dpopj.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.Sha256;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.core.ValidatorFixture.assertRejected;

/** RFC 9449's own examples, verified with a clock pinned to their {@code iat}. */
class RfcExamplesTest {

    /** §4.1 Figure 2: the token request proof. */
    static final String FIGURE_2_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

    /** §7.1 Figure 13: the protected resource request proof. */
    static final String FIGURE_13_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";

    /** §7.1 Figure 13: the access token. */
    static final String FIGURE_13_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";

    /** §6.1 Figure 9 and §7.1 Figure 11: the jkt of the examples' key. */
    static final String FIGURE_9_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    /** §7.1 Figure 14: the ath of the Figure 13 token. */
    static final String FIGURE_14_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

    private final ValidatorFixture.TokenTable tokens = new ValidatorFixture.TokenTable();

    private DPoPValidator validatorAt(long epochSecond) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
        return DPoPValidator.builder()
                .clock(clock)
                .replayStore(TestReplayStores.ehcache(Duration.ofSeconds(71), clock))
                .accessTokenResolver(tokens)
                .build();
    }

    private static DPoPRequest figure13Request(String token) {
        return DPoPRequest.builder()
                .method("GET")
                .targetUri("https://resource.example.org/protectedresource")
                .authorizationHeaders(List.of("DPoP " + token))
                .dpopHeaders(List.of(FIGURE_13_PROOF))
                .build();
    }

    @Test
    void acceptsFigure13ResourceRequestBoundToFigure9Jkt() throws DPoPException {
        tokens.put(FIGURE_13_TOKEN, AccessToken.builder().subject("someone@example.com").jkt(FIGURE_9_JKT).build());

        DPoPResult result = validatorAt(1562262618).validate(figure13Request(FIGURE_13_TOKEN));

        assertThat(result.scheme()).isEqualTo(AuthScheme.DPOP);
        assertThat(result.binding()).hasValueSatisfying(binding -> {
            assertThat(binding.thumbprint()).isEqualTo(FIGURE_9_JKT);
            assertThat(binding.jti()).isEqualTo("e1j3V_bKic8-LAEB");
            assertThat(binding.algorithm()).isEqualTo("ES256");
            assertThat(binding.subject()).contains("someone@example.com");
        });
    }

    @Test
    void athOfFigure13TokenIsFigure14Value() {
        assertThat(Sha256.base64Url(FIGURE_13_TOKEN)).isEqualTo(FIGURE_14_ATH);
    }

    @Test
    void rejectsFigure13ProofWithAnotherToken() {
        tokens.put("another-token", AccessToken.builder().jkt(FIGURE_9_JKT).build());

        assertRejected(() -> validatorAt(1562262618).validate(figure13Request("another-token")),
                DPoPError.INVALID_DPOP_PROOF, Check.ATH);
    }

    @Test
    void rejectsFigure13ProofForTokenBoundToAnotherKey() {
        tokens.put(FIGURE_13_TOKEN, AccessToken.builder().jkt("x".repeat(43)).build());

        assertRejected(() -> validatorAt(1562262618).validate(figure13Request(FIGURE_13_TOKEN)),
                DPoPError.INVALID_TOKEN, Check.KEY_BINDING);
    }

    @Test
    void rejectsFigure13ProofOneHourLater() {
        tokens.put(FIGURE_13_TOKEN, AccessToken.builder().jkt(FIGURE_9_JKT).build());

        assertRejected(() -> validatorAt(1562262618 + 3600).validate(figure13Request(FIGURE_13_TOKEN)),
                DPoPError.INVALID_DPOP_PROOF, Check.IAT);
    }

    @Test
    void acceptsFigure2TokenRequestProofAndReturnsFigure9Jkt() throws DPoPException {
        DPoPRequest tokenRequest = DPoPRequest.builder()
                .method("POST")
                .targetUri("https://server.example.com/token")
                .authorizationHeaders(List.of("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW"))
                .dpopHeaders(List.of(FIGURE_2_PROOF))
                .build();

        DPoPResult result = validatorAt(1562262616).validateTokenRequest(tokenRequest, "s6BhdRkqt3");

        assertThat(result.binding()).map(DPoPBinding::thumbprint).contains(FIGURE_9_JKT);
        assertThat(result.accessToken()).isEmpty();
    }
}
