package org.dpopj.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.dpopj.core.DPoPRequest;
import org.dpopj.core.http.TargetUriResolver;
import org.junit.jupiter.api.Test;

class JaxRsRequestsTest {

    private final JaxRsDoubles.Request request = new JaxRsDoubles.Request();

    @Test
    void collectsMethodTargetUriWithoutQueryAndPeerAddress() {
        request.method = "DELETE";
        request.requestUri = URI.create("https://api.example.com:8443/a%20b/c?x=1");
        DPoPRequest translated = JaxRsRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView(), "192.0.2.1", null);
        assertThat(translated.method()).isEqualTo("DELETE");
        assertThat(translated.targetUri()).isEqualTo("https://api.example.com:8443/a%20b/c");
        assertThat(translated.remoteAddress()).contains("192.0.2.1");
    }

    @Test
    void takesMethodFromTheWireWhenTheRuntimeRewroteHeadToGet() {
        request.method = "GET";
        request.requestUri = URI.create("https://api.example.com/orders");
        DPoPRequest translated = JaxRsRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView(), null, "HEAD");
        assertThat(translated.method()).isEqualTo("HEAD");
    }

    @Test
    void noticesAccessTokenInFormBodyAndLeavesTheBodyReadable() throws Exception {
        request.requestUri = URI.create("https://api.example.com/orders");
        request.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        request.entity = new java.io.ByteArrayInputStream("item=tea&access_token=abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        DPoPRequest translated = JaxRsRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView(), null, "POST");
        assertThat(translated.accessTokenInQueryOrBody()).isTrue();
        assertThat(new String(request.entity.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("item=tea&access_token=abc");
    }

    @Test
    void ignoresAccessTokenTextInNonFormBody() {
        request.requestUri = URI.create("https://api.example.com/orders");
        request.header("Content-Type", "application/json");
        request.entity = new java.io.ByteArrayInputStream("{\"access_token\":\"abc\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        DPoPRequest translated = JaxRsRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView(), null, "POST");
        assertThat(translated.accessTokenInQueryOrBody()).isFalse();
    }

    @Test
    void collectsEveryHeaderFieldAsItsOwnElement() {
        request.header("DPoP", "a").header("DPoP", "b").header("Authorization", "DPoP x");
        DPoPRequest translated = JaxRsRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView(), null, null);
        assertThat(translated.dpopHeaders()).containsExactly("a", "b");
        assertThat(translated.authorizationHeaders()).containsExactly("DPoP x");
    }

    @Test
    void findsHeadersCaseInsensitivelyInPlainMaps() {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.add("dpop", "p");
        assertThat(JaxRsRequests.headers(headers, "DPoP")).containsExactly("p");
        assertThat(JaxRsRequests.headers(headers, "Authorization")).isEmpty();
    }
}
