package org.dpopj.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * Whether the token issuer answers now: one GET with a short deadline to the endpoint the validator
 * depends on, its JWKS ({@code dpop.token.jwks-uri}, which must answer 200), else its introspection
 * endpoint ({@code dpop.token.introspection-uri}, which must answer below 500: without credentials a 401
 * is the expected answer of a working endpoint), else the issuer's metadata (RFC 8414 §3, then OpenID
 * Connect Discovery, one of which must answer 200). Sends no token and no credential; the result
 * names the endpoint without its query. Immutable and thread-safe.
 */
final class IssuerProbe {

    /** The deadline of one probe: a readiness check must answer within the probe's own timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** @param reachable whether the issuer answered as expected; @param detail what was called and what it said */
    record Result(boolean reachable, String detail) {
    }

    private final List<URI> candidates;
    private final boolean anyAnswerBelow500;
    private final HttpClient client;

    private IssuerProbe(List<URI> candidates, boolean anyAnswerBelow500) {
        this.candidates = candidates;
        this.anyAnswerBelow500 = anyAnswerBelow500;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @return the probe of the endpoint the settings name; empty when they name none (a resolver bean) */
    static Optional<IssuerProbe> fromSettings(DPoPSettings settings) {
        Optional<URI> jwks = settings.httpUri(AccessTokenResolvers.JWKS_URI);
        if (jwks.isPresent()) {
            return Optional.of(new IssuerProbe(List.of(jwks.get()), false));
        }
        Optional<URI> introspection = settings.httpUri(AccessTokenResolvers.INTROSPECTION_URI);
        if (introspection.isPresent()) {
            return Optional.of(new IssuerProbe(List.of(introspection.get()), true));
        }
        return settings.httpUri(AccessTokenResolvers.ISSUER).map(issuer -> {
            String path = issuer.getRawPath() == null ? "" : issuer.getRawPath().replaceAll("/$", "");
            String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
            return new IssuerProbe(List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
                    URI.create(origin + path + "/.well-known/openid-configuration")), false);
        });
    }

    Result probe() {
        String last = "not called";
        for (URI uri : candidates) {
            HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(TIMEOUT)
                    .header("Accept", "application/json").build();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || (anyAnswerBelow500 && status < 500)) {
                    return new Result(true, redact(uri) + " answered " + status);
                }
                last = redact(uri) + " answered " + status;
            } catch (IOException e) {
                last = redact(uri) + " unreachable: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, redact(uri) + " not probed: interrupted");
            }
        }
        return new Result(false, last);
    }

    private static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
