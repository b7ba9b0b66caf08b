package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;

import org.dpopj.core.json.JsonLimits;
import org.junit.jupiter.api.Test;

class CompactJwsTest {

    private static final String HEADER = Base64Url.encode("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
    private static final String PAYLOAD = Base64Url.encode("{\"jti\":\"1\"}".getBytes(StandardCharsets.UTF_8));
    private static final String SIGNATURE = Base64Url.encode(new byte[] {1, 2, 3});

    @Test
    void keepsTheSigningInputAsSent() throws Exception {
        CompactJws jws = CompactJws.parse(HEADER + "." + PAYLOAD + "." + SIGNATURE, JsonLimits.JOSE);

        byte[] expected = (HEADER + "." + PAYLOAD).getBytes(StandardCharsets.US_ASCII);
        assertThat(jws.signingInput()).isEqualTo(expected);
        assertThat(jws.signingInputLength()).isEqualTo(expected.length);
        assertThat(java.util.Arrays.copyOf(jws.signingInputBuffer(), jws.signingInputLength())).isEqualTo(expected);
        assertThat(jws.signature()).containsExactly(1, 2, 3);
        assertThat(jws.header()).containsEntry("alg", "ES256");
        assertThat(jws.claims()).containsEntry("jti", "1");
    }

    @Test
    void refusesACharacterOutsideAsciiInEveryPart() {
        String compact = HEADER + "." + PAYLOAD + "." + SIGNATURE;
        for (String bad : new String[] {"\u00C1", "\uFF21", "\uD83D\uDE00"}) {
            for (int position : new int[] {0, 3, HEADER.length() + 2, HEADER.length() + PAYLOAD.length() + 3,
                    compact.length()}) {
                String tampered = compact.substring(0, position) + bad + compact.substring(position);

                assertThatExceptionOfType(JoseFormatException.class).as("%s at %d", bad, position)
                        .isThrownBy(() -> CompactJws.parse(tampered, JsonLimits.JOSE));
            }
        }
    }

    @Test
    void refusesASurrogatePairThatWouldShiftTheParts() {
        // as ASCII the pair is one '?': without the length check the second dot would move by one
        String tampered = HEADER + "." + PAYLOAD.substring(0, 4) + "\uD83D\uDE00" + PAYLOAD.substring(4) + "." + SIGNATURE;

        assertThatExceptionOfType(JoseFormatException.class)
                .isThrownBy(() -> CompactJws.parse(tampered, JsonLimits.JOSE));
    }
}
