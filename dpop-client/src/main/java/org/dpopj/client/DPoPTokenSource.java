package org.dpopj.client;

import java.io.IOException;

/**
 * Something that hands out a DPoP-bound access token and obtains a new one before the old one expires:
 * {@link DPoPClientCredentials} (a new grant) and {@link DPoPTokens} (a refresh). Implementations are
 * thread-safe.
 */
public interface DPoPTokenSource {

    /**
     * @return a token that does not expire within the source's refresh margin
     * @throws DPoPTokenException when the authorization server refuses or issues no DPoP token
     * @throws IOException when it cannot be reached
     * @throws InterruptedException when interrupted while waiting for it
     */
    DPoPAccessToken token() throws IOException, InterruptedException;

    /** Forgets the current token, for instance after a resource server answered {@code invalid_token}. */
    void invalidate();
}
