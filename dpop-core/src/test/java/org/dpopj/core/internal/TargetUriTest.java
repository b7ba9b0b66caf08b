package org.dpopj.core.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 3986 §6.2.2 and §6.2.3 normalisation of htu and the request URI (RFC 9449 §4.3 step 9). */
class TargetUriTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://Example.COM/a, https://example.com/a",
            "HTTP://example.com:80/a, http://example.com/a",
            "https://example.com:443/a, https://example.com/a",
            "http://example.com:443/a, http://example.com:443/a",
            "https://example.com:8443/a, https://example.com:8443/a",
            "https://example.com, https://example.com/",
            "https://example.com?q=1, https://example.com/",
            "https://example.com/a?q=1#f, https://example.com/a",
            "https://example.com/%7euser, https://example.com/~user",
            "https://example.com/%2f%2F, https://example.com/%2F%2F",
            "https://example.com/a%20b, https://example.com/a%20b",
            "https://example.com/a/./b/../c, https://example.com/a/c",
            "https://example.com/a/b/.., https://example.com/a/",
            "https://example.com/../a, https://example.com/a",
            "https://example.com/a/, https://example.com/a/",
            "https://[::1]:8080/a, https://[::1]:8080/a",
            "https://127.0.0.1/A, https://127.0.0.1/A"})
    void normalizes(String uri, String expected) {
        assertThat(TargetUri.normalize(uri)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user@example.com/a", "https://u:p@example.com/a", "ftp://example.com/a",
            "/a", "example.com/a", "https:///a", "https://exa mple.com/a", "urn:x:y", "javascript:alert(1)"})
    void refuses(String uri) {
        assertThatThrownBy(() -> TargetUri.normalize(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"/caf\u00e9, /caf%C3%A9", "/%c3%a9, /%C3%A9"})
    void encodesNonAsciiAsUtf8(String path, String expected) {
        assertThat(TargetUri.normalize("https://example.com" + path)).isEqualTo("https://example.com" + expected);
    }
}
