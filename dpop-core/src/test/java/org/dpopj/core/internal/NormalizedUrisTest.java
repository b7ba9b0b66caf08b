package org.dpopj.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class NormalizedUrisTest {

    @Test
    void normalizesAsTargetUriDoesOnEveryCall() {
        NormalizedUris uris = new NormalizedUris(16);
        for (String uri : new String[] {"HTTPS://API.Example.com:443/a/./b/../c", "https://api.example.com/orders",
                "http://api.example.com:8080", "https://api.example.com/%7euser?q=1#f"}) {
            String expected = TargetUri.normalize(uri);

            assertThat(uris.normalize(uri)).isEqualTo(expected);
            assertThat(uris.normalize(uri)).isEqualTo(expected);
        }
    }

    @Test
    void givesEachUriItsOwnResultWhenUrisShareASlot() {
        NormalizedUris uris = new NormalizedUris(1);

        assertThat(uris.normalize("https://a.example/x")).isEqualTo("https://a.example/x");
        assertThat(uris.normalize("https://B.example:443/y")).isEqualTo("https://b.example/y");
        assertThat(uris.normalize("https://a.example/x")).isEqualTo("https://a.example/x");
    }

    @Test
    void refusesAnInvalidUriEveryTime() {
        NormalizedUris uris = new NormalizedUris(16);
        for (int i = 0; i < 2; i++) {
            assertThatIllegalArgumentException().isThrownBy(() -> uris.normalize("https://user@api.example.com/"));
            assertThatIllegalArgumentException().isThrownBy(() -> uris.normalize("ftp://api.example.com/"));
        }
    }

    @Test
    void normalizesAnOverlongUriWithoutRememberingIt() {
        NormalizedUris uris = new NormalizedUris(16);
        String uri = "https://API.example.com/" + "a".repeat(NormalizedUris.MAX_LENGTH);

        assertThat(uris.normalize(uri)).isEqualTo(TargetUri.normalize(uri));
    }

    @Test
    void normalizesAUriWithAQueryWithoutRememberingIt() {
        NormalizedUris uris = new NormalizedUris(16);

        assertThat(uris.normalize("https://api.example.com/orders?token=secret")).isEqualTo("https://api.example.com/orders");
        assertThat(uris.normalize("https://api.example.com/orders#part")).isEqualTo("https://api.example.com/orders");
    }
}
