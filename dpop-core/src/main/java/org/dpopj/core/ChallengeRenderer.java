package org.dpopj.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a refusal as the response to send (RFC 9449 §7.1, §8, §9; RFC 6750 §3): the status,
 * {@code WWW-Authenticate} with {@code error}, {@code error_description} and {@code algs} (both
 * challenges in {@link Mode#DPOP_OR_BEARER}), {@code DPoP-Nonce}, {@code Retry-After} on 503, and
 * {@code Cache-Control: no-store}. Immutable and thread-safe.
 */
final class ChallengeRenderer {

    private final Mode mode;
    private final String algsParameter;
    private final Duration retryAfter;

    ChallengeRenderer(Mode mode, List<String> algorithms, Duration retryAfter) {
        this.mode = mode;
        this.algsParameter = "algs=\"" + String.join(" ", algorithms) + "\"";
        this.retryAfter = retryAfter;
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
                headers.add(new HttpChallenge.Header("WWW-Authenticate",
                        errorParameters != null && errorScheme == AuthScheme.BEARER
                                ? "Bearer " + errorParameters : "Bearer"));
            }
            boolean dpopError = errorParameters != null && (errorScheme == AuthScheme.DPOP || mode == Mode.DPOP_ONLY);
            headers.add(new HttpChallenge.Header("WWW-Authenticate",
                    "DPoP " + (dpopError ? errorParameters + ", " : "") + algsParameter));
            failure.nonce().ifPresent(nonce -> headers.add(new HttpChallenge.Header("DPoP-Nonce", nonce)));
        }
        headers.add(new HttpChallenge.Header("Cache-Control", "no-store"));
        return new HttpChallenge(failure.status(), headers);
    }
}
