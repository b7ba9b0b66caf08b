package org.dpopj.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.dpopj.core.DPoPRequest;
import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.servlet.internal.ServletRequests;
import org.junit.jupiter.api.Test;

class ServletRequestsTest {

    private final ServletDoubles.Request request = new ServletDoubles.Request();

    @Test
    void collectsMethodTargetUriAndPeerAddress() {
        request.method = "PATCH";
        request.queryString = "page=2";
        DPoPRequest translated = ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView());
        assertThat(translated.method()).isEqualTo("PATCH");
        assertThat(translated.targetUri()).isEqualTo("https://api.example.com/shop/api/orders");
        assertThat(translated.remoteAddress()).contains("203.0.113.9");
        assertThat(translated.accessTokenInQueryOrBody()).isFalse();
    }

    @Test
    void collectsEveryHeaderFieldAsItsOwnElement() {
        request.header("DPoP", "a").header("dpop", "b, c").header("Authorization", "DPoP x").header("AUTHORIZATION", "Basic y");
        DPoPRequest translated = ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView());
        assertThat(translated.dpopHeaders()).containsExactly("a", "b, c");
        assertThat(translated.authorizationHeaders()).containsExactly("DPoP x", "Basic y");
    }

    @Test
    void notesAccessTokenInQueryString() {
        request.queryString = "access_token=abc";
        assertThat(ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView())
                .accessTokenInQueryOrBody()).isTrue();
    }

    @Test
    void notesAccessTokenInFormBody() {
        request.method = "POST";
        request.contentType = "application/x-www-form-urlencoded";
        request.parameters.put("access_token", new String[] {"abc"});
        assertThat(ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView()).accessTokenInQueryOrBody())
                .isTrue();
    }

    @Test
    void doesNotParseParametersOfNonFormBodies() {
        request.method = "POST";
        request.contentType = "application/json";
        request.parameters.put("access_token", new String[] {"abc"});
        assertThat(ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView()).accessTokenInQueryOrBody())
                .isFalse();
    }

    @Test
    void keepsNonDefaultPortOfContainerUrl() {
        request.scheme = "http";
        request.port = 8080;
        assertThat(ServletRequests.toDPoPRequest(request.proxy(), TargetUriResolver.containerView()).targetUri())
                .isEqualTo("http://api.example.com:8080/shop/api/orders");
    }
}
