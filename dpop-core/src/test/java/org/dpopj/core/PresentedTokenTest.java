package org.dpopj.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PresentedTokenTest {

    @Test
    void hashIsBase64UrlOfSha256OfTheToken() {
        assertThat(new PresentedToken("abc", AuthScheme.DPOP).sha256()).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void hashPrefixIsItsFirstEightCharacters() {
        assertThat(new PresentedToken("abc", AuthScheme.DPOP).hashPrefix()).isEqualTo("ungWv48B");
    }

    @Test
    void toStringShowsTheHashPrefixNeverTheToken() {
        assertThat(new PresentedToken("secret-token-value", AuthScheme.BEARER).toString())
                .doesNotContain("secret-token-value").contains(new PresentedToken("secret-token-value", AuthScheme.BEARER).hashPrefix());
    }
}
