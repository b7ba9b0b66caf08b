package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.dpopj.core.jose.Sha256;
import org.junit.jupiter.api.Test;

class CompactReplayKeyTest {

    @Test
    void keepsTheSameKeyEqual() {
        String key = Sha256.base64Url("thumbprint\njti-1");

        assertThat(CompactReplayKey.of(key)).isEqualTo(CompactReplayKey.of(new String(key)))
                .hasSameHashCodeAs(CompactReplayKey.of(key));
    }

    @Test
    void keepsHashesThatDifferInTheirFirstTwentyCharactersApart() {
        String key = Sha256.base64Url("thumbprint\njti-1");
        for (int i = 0; i < 20; i++) {
            char other = key.charAt(i) == 'A' ? 'B' : 'A';
            String changed = key.substring(0, i) + other + key.substring(i + 1);

            assertThat(CompactReplayKey.of(changed)).as("character %d", i).isNotEqualTo(CompactReplayKey.of(key));
        }
    }

    @Test
    void keepsKeysThatAreNotHashesApartByHashingThem() {
        assertThat(CompactReplayKey.of("key-1")).isNotEqualTo(CompactReplayKey.of("key-2"));
        assertThat(CompactReplayKey.of("client-01234567890123456789-a"))
                .isNotEqualTo(CompactReplayKey.of("client-01234567890123456789-b"));
    }
}
