package org.dpopj.client;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens of one authorization (from {@link DPoPAuthorizationCode}): the current DPoP-bound access
 * token and its refresh token. {@link #token()} refreshes the access token {@code refreshBefore} its
 * expiry with the refresh token grant (RFC 6749 §6), whose proof is signed by the same key (RFC 9449
 * §5: a public client's refresh token is bound to that key), and keeps a rotated refresh token.
 *
 * <p>Thread-safe: concurrent callers share one refresh. Neither {@link #toString()} nor an exception
 * names a token.
 */
public final class DPoPTokens implements DPoPTokenSource {

    private final TokenEndpoint endpoint;
    private final Duration refreshBefore;
    private DPoPAccessToken accessToken;
    private String refreshToken;
    private boolean invalid;

    DPoPTokens(TokenEndpoint endpoint, Duration refreshBefore, TokenEndpoint.TokenResponse issued) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
        this.accessToken = issued.accessToken();
        this.refreshToken = issued.refreshToken();
    }

    /**
     * @return the current access token, refreshed first when it expires within {@code refreshBefore} or
     *     was {@linkplain #invalidate() invalidated}
     * @throws DPoPTokenException when it must be refreshed and there is no refresh token, or the
     *     authorization server refuses the refresh
     */
    @Override
    public synchronized DPoPAccessToken token() throws IOException, InterruptedException {
        if (invalid || accessToken.expiresWithin(endpoint.clock().instant(), refreshBefore)) {
            refresh();
        }
        return accessToken;
    }

    /**
     * Refreshes the access token now (RFC 6749 §6), with a proof of the same key.
     *
     * @return the new access token
     * @throws DPoPTokenException when there is no refresh token or the authorization server refuses it
     */
    public synchronized DPoPAccessToken refresh() throws IOException, InterruptedException {
        if (refreshToken == null) {
            throw new DPoPTokenException("The access token must be renewed and the authorization server issued"
                    + " no refresh token: authorize again", 0, null);
        }
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "refresh_token");
        grant.put("refresh_token", refreshToken);
        TokenEndpoint.TokenResponse issued = endpoint.request(grant);
        accessToken = issued.accessToken();
        if (issued.refreshToken() != null) {
            refreshToken = issued.refreshToken();
        }
        invalid = false;
        return accessToken;
    }

    @Override
    public synchronized void invalidate() {
        invalid = true;
    }

    /** @return whether a refresh token was issued */
    public synchronized boolean refreshable() {
        return refreshToken != null;
    }

    /** @return the current access token without refreshing it, when it has not been invalidated */
    public synchronized Optional<DPoPAccessToken> current() {
        return invalid ? Optional.empty() : Optional.of(accessToken);
    }

    /** @return the token endpoint and the current token's expiry; never a token */
    @Override
    public synchronized String toString() {
        return "DPoPTokens[" + endpoint.uri() + ", " + accessToken + ", refreshToken="
                + (refreshToken == null ? "none" : "present") + "]";
    }
}
