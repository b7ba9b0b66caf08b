package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;

import org.dpopj.core.json.JsonLimits;
import org.junit.jupiter.api.Test;

class JwsHeaderCacheTest {

    private static final String PAYLOAD = b64("{\"jti\":\"1\"}");
    private static final String SIGNATURE = Base64Url.encode(new byte[] {1, 2, 3});

    private static String b64(String json) {
        return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String jws(String headerJson) {
        return b64(headerJson) + "." + PAYLOAD + "." + SIGNATURE;
    }

    @Test
    void givesTheHeaderParsedBeforeForTheSameSegment() throws Exception {
        JwsHeaderCache cache = new JwsHeaderCache(16);
        CompactJws first = CompactJws.parse(jws("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\"}"), JsonLimits.JOSE, cache);
        CompactJws second = CompactJws.parse(jws("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\"}"), JsonLimits.JOSE, cache);

        assertThat(second.header()).isSameAs(first.header()).containsEntry("alg", "ES256");
        assertThat(second.signingInput()).isEqualTo(first.signingInput());
    }

    @Test
    void parsesAnotherSegmentAfreshEvenInTheSameSlot() throws Exception {
        // one slot: every segment shares it
        JwsHeaderCache cache = new JwsHeaderCache(1);
        CompactJws es = CompactJws.parse(jws("{\"alg\":\"ES256\"}"), JsonLimits.JOSE, cache);
        CompactJws rs = CompactJws.parse(jws("{\"alg\":\"RS256\"}"), JsonLimits.JOSE, cache);
        CompactJws esAgain = CompactJws.parse(jws("{\"alg\":\"ES256\"}"), JsonLimits.JOSE, cache);

        assertThat(es.header()).containsEntry("alg", "ES256");
        assertThat(rs.header()).containsEntry("alg", "RS256");
        assertThat(esAgain.header()).isNotSameAs(es.header()).isEqualTo(es.header());
    }

    @Test
    void neverRemembersAHeaderThatDoesNotParse() {
        JwsHeaderCache cache = new JwsHeaderCache(16);
        String duplicate = jws("{\"alg\":\"ES256\",\"alg\":\"none\"}");
        for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(JoseFormatException.class)
                    .isThrownBy(() -> CompactJws.parse(duplicate, JsonLimits.JOSE, cache));
        }
    }

    @Test
    void refusesABrokenPayloadOrSignatureBehindAKnownHeader() throws Exception {
        JwsHeaderCache cache = new JwsHeaderCache(16);
        String header = b64("{\"alg\":\"ES256\"}");
        CompactJws.parse(header + "." + PAYLOAD + "." + SIGNATURE, JsonLimits.JOSE, cache);

        assertThatExceptionOfType(JoseFormatException.class)
                .isThrownBy(() -> CompactJws.parse(header + "." + b64("{\"jti\":1,\"jti\":2}") + "." + SIGNATURE,
                        JsonLimits.JOSE, cache));
        assertThatExceptionOfType(JoseFormatException.class)
                .isThrownBy(() -> CompactJws.parse(header + "." + PAYLOAD + ".AB", JsonLimits.JOSE, cache));
    }

    @Test
    void parsesAnOverlongSegmentEveryTime() throws Exception {
        JwsHeaderCache cache = new JwsHeaderCache(16);
        String longHeader = jws("{\"alg\":\"ES256\",\"x\":\"" + "a".repeat(JwsHeaderCache.MAX_SEGMENT_LENGTH) + "\"}");
        CompactJws first = CompactJws.parse(longHeader, JsonLimits.JOSE, cache);
        CompactJws second = CompactJws.parse(longHeader, JsonLimits.JOSE, cache);

        assertThat(second.header()).isNotSameAs(first.header()).isEqualTo(first.header());
    }

    @Test
    void refusesSlotsThatAreNotAPowerOfTwo() {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new JwsHeaderCache(3));
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new JwsHeaderCache(0));
    }
}
