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
    void keepsHashesThatDifferInAnyBitOfTheirFirstSixteenCharactersApart() {
        String key = Sha256.base64Url("thumbprint\njti-1");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 16; i++) {
            int value = alphabet.indexOf(key.charAt(i));
            for (int bit = 0; bit < 6; bit++) {
                String changed = key.substring(0, i) + alphabet.charAt(value ^ (1 << bit)) + key.substring(i + 1);

                assertThat(CompactReplayKey.of(changed)).as("character %d, bit %d", i, bit)
                        .isNotEqualTo(CompactReplayKey.of(key));
            }
        }
    }

    @Test
    void keepsKeysThatAreNotHashesApartByHashingThem() {
        assertThat(CompactReplayKey.of("key-1")).isNotEqualTo(CompactReplayKey.of("key-2"));
        assertThat(CompactReplayKey.of("client-01234567890123456789-a"))
                .isNotEqualTo(CompactReplayKey.of("client-01234567890123456789-b"));
    }
}
