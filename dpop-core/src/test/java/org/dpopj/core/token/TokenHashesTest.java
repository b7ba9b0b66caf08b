package org.dpopj.core.token;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenHashesTest {

    @Test
    void hashesWithSha256AsUnpaddedBase64Url() {
        // FIPS 180-2 test vector for "abc"
        assertThat(TokenHashes.sha256Base64Url("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void prefixIsTheFirstEightCharactersOfTheHash() {
        assertThat(TokenHashes.hashPrefix("abc")).isEqualTo("ungWv48B");
    }
}
