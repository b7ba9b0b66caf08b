package org.dpopj.core;

import java.util.List;
import java.util.Optional;

/**
 * The HTTP response an adapter writes for a {@link DPoPException}: a status and the headers
 * ({@code WWW-Authenticate}, possibly twice in mixed mode; {@code DPoP-Nonce}; {@code Retry-After};
 * {@code Cache-Control}). Produced only by {@link DPoPValidator#challenge(DPoPException)}.
 *
 * @param status the HTTP status code
 * @param headers the response headers, in order; a name may repeat
 */
public record HttpChallenge(int status, List<Header> headers) {

    /**
     * One response header field.
     *
     * @param name the field name
     * @param value the field value, already quoted and sanitised
     */
    public record Header(String name, String value) {
    }

    /**
     * Copies the headers, so that the challenge is immutable.
     *
     * @param status the HTTP status code
     * @param headers the response headers, in order
     */
    public HttpChallenge {
        headers = List.copyOf(headers);
    }

    /**
     * @param name a header field name, compared case-insensitively
     * @return the first value of that field, if present
     */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }
}
