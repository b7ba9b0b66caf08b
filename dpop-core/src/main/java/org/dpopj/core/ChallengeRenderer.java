package org.dpopj.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a refusal as the response to send (RFC 9449 §7.1, §8, §9; RFC 6750 §3): the status,
 * {@code WWW-Authenticate} with {@code error}, {@code error_description} and {@code algs} (both
 * challenges in {@link Mode#DPOP_OR_BEARER}), {@code DPoP-Nonce}, {@code Retry-After} on 503, and
 * {@code Cache-Control: no-store}. With protected resource metadata on, every challenge also carries
 * {@code resource_metadata} (RFC 9728 §5.1), so a client can discover the authorization server from
 * any refusal. Immutable and thread-safe.
 */
final class ChallengeRenderer {

    private final Mode mode;
    private final String algsParameter;
    private final Duration retryAfter;
    /** {@code , resource_metadata="..."}, or empty when metadata is off. */
    private final String metadataParameter;

    ChallengeRenderer(Mode mode, List<String> algorithms, Duration retryAfter, URI resourceMetadata) {
        this.mode = mode;
        this.algsParameter = "algs=\"" + String.join(" ", algorithms) + "\"";
        this.retryAfter = retryAfter;
        // java.net.URI admits no quote, backslash or space: the URL is a valid quoted-string as it is
        this.metadataParameter = resourceMetadata == null ? "" : "resource_metadata=\"" + resourceMetadata + "\"";
    }

    HttpChallenge render(DPoPException failure) {
        List<HttpChallenge.Header> headers = new ArrayList<>(4);
        if (failure.error() == DPoPError.TEMPORARILY_UNAVAILABLE) {
            long seconds = failure.retryAfter().orElse(retryAfter).toSeconds();
            headers.add(new HttpChallenge.Header("Retry-After", Long.toString(Math.max(1, seconds))));
        } else {
            String errorParameters = failure.error().code()
                    .map(code -> "error=\"" + code + "\", error_description=\"" + failure.description() + "\"")
                    .orElse(null);
            AuthScheme errorScheme = failure.scheme().orElse(AuthScheme.DPOP);
            if (mode == Mode.DPOP_OR_BEARER) {
                String bearer = errorParameters != null && errorScheme == AuthScheme.BEARER ? errorParameters : "";
                headers.add(new HttpChallenge.Header("WWW-Authenticate", "Bearer" + parameters(bearer, metadataParameter)));
            }
            boolean dpopError = errorParameters != null && (errorScheme == AuthScheme.DPOP || mode == Mode.DPOP_ONLY);
            headers.add(new HttpChallenge.Header("WWW-Authenticate",
                    "DPoP " + (dpopError ? errorParameters + ", " : "") + algsParameter
                            + (metadataParameter.isEmpty() ? "" : ", " + metadataParameter)));
            failure.nonce().ifPresent(nonce -> headers.add(new HttpChallenge.Header("DPoP-Nonce", nonce)));
        }
        headers.add(new HttpChallenge.Header("Cache-Control", "no-store"));
        return new HttpChallenge(failure.status(), headers);
    }

    private static String parameters(String first, String second) {
        if (first.isEmpty()) {
            return second.isEmpty() ? "" : " " + second;
        }
        return " " + first + (second.isEmpty() ? "" : ", " + second);
    }
}
