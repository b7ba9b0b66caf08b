package org.dpopj.client.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.nimbusds.jwt.SignedJWT;

import org.dpopj.client.DPoPProofSigner;
import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.testing.Proofs;
import org.junit.jupiter.api.Test;

class DPoPClientFilterTest {

    private static final String TOKEN = "filter-token-1";
    private static final URI ORDERS = URI.create("https://api.example.com/orders?page=3");

    private final DPoPProofSigner signer = DPoPProofSigner.generate();

    /** A request context double over a real header map: the only parts the filter touches. */
    private static ClientRequestContext request(String method, URI uri, MultivaluedMap<String, Object> headers) {
        return (ClientRequestContext) Proxy.newProxyInstance(DPoPClientFilterTest.class.getClassLoader(),
                new Class<?>[] {ClientRequestContext.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getUri": return uri;
                        case "getMethod": return method;
                        case "getHeaders": return headers;
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    private static ClientResponseContext response(Map<String, String> headers) {
        return (ClientResponseContext) Proxy.newProxyInstance(DPoPClientFilterTest.class.getClassLoader(),
                new Class<?>[] {ClientResponseContext.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getHeaderString")) {
                        return headers.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static List<String> strings(List<Object> values) {
        return values == null ? List.of() : values.stream().map(String::valueOf).collect(Collectors.toList());
    }

    @Test
    void addsATokenAndAProofOurValidatorAccepts() throws Exception {
        DPoPClientFilter filter = DPoPClientFilter.forResourceServer(signer, () -> TOKEN);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("DPoP", "stale");

        filter.filter(request("GET", ORDERS, headers));

        try (DPoPValidator validator = DPoPValidator.builder().replayStore(new Proofs.MapReplayStore())
                .accessTokenResolver(new Proofs.MapTokenResolver(Map.of(TOKEN,
                        AccessToken.builder().subject("svc").jkt(signer.thumbprint()).build()))).build()) {
            DPoPResult result = validator.validate(DPoPRequest.builder().method("GET").targetUri(ORDERS.toString())
                    .dpopHeaders(strings(headers.get("DPoP"))).authorizationHeaders(strings(headers.get("Authorization"))).build());

            assertThat(result.binding().orElseThrow().thumbprint()).isEqualTo(signer.thumbprint());
        }
        assertThat(strings(headers.get("DPoP"))).hasSize(1);
        assertThat(strings(headers.get("Authorization"))).containsExactly("DPoP " + TOKEN);
    }

    @Test
    void sendsTheNonceTheOriginSentLast() throws Exception {
        DPoPClientFilter filter = DPoPClientFilter.forResourceServer(signer, () -> TOKEN);
        filter.filter(request("GET", ORDERS, new MultivaluedHashMap<>()), response(Map.of("DPoP-Nonce", "n-42")));
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();

        filter.filter(request("GET", URI.create("https://api.example.com:443/other"), headers));

        assertThat(filter.nonce(ORDERS)).contains("n-42");
        assertThat(SignedJWT.parse(strings(headers.get("DPoP")).get(0)).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-42");
    }

    @Test
    void leavesClientAuthenticationAloneAtTheTokenEndpoint() throws Exception {
        DPoPClientFilter filter = DPoPClientFilter.forAuthorizationServer(signer);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("Authorization", "Basic abc");

        filter.filter(request("POST", URI.create("https://as.example.com/token"), headers));

        assertThat(strings(headers.get("Authorization"))).containsExactly("Basic abc");
        assertThat(SignedJWT.parse(strings(headers.get("DPoP")).get(0)).getJWTClaimsSet().getClaim("ath")).isNull();
    }

    @Test
    void recognisesANonceChallengeSoTheCallerRetriesOnce() {
        Response challenge = Response.status(401).header("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"").build();
        Response other = Response.status(401).header("WWW-Authenticate", "DPoP error=\"invalid_token\"").build();

        assertThat(DPoPClientFilter.isNonceChallenge(challenge)).isTrue();
        assertThat(DPoPClientFilter.isNonceChallenge(other)).isFalse();
    }

    @Test
    void toStringNamesNoToken() {
        assertThat(DPoPClientFilter.forResourceServer(signer, () -> TOKEN).toString()).doesNotContain(TOKEN);
    }
}
