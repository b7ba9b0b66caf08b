package org.dpopj.core.http;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;

/**
 * What both adapters send besides the challenge headers of
 * {@link org.dpopj.core.DPoPValidator#challenge(DPoPException)}: a JSON body
 * {@code {"error":"..","error_description":".."}} for failures that have an error code (RFC 6749 §5.2
 * style; none for a bare 401 or a 503), and one mapping for an unexpected exception during validation.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorResponses {

    /** The media type of {@link #jsonBody(DPoPException)}. */
    public static final String JSON_MEDIA_TYPE = "application/json";

    private static final Logger LOG = System.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    /**
     * @param failure the failure
     * @return the JSON body, or empty when the failure has no error code (401 without credentials, 503)
     */
    public static Optional<String> jsonBody(DPoPException failure) {
        return failure.error().code().map(code -> "{\"error\":\"" + escape(code)
                + "\",\"error_description\":\"" + escape(failure.description()) + "\"}");
    }

    /**
     * Maps a {@link RuntimeException} thrown while validating to a refusal. Such an exception is a bug
     * triggered by this request's input, so the request is refused (fail closed) as a 400
     * {@code invalid_request} rather than answered with a 500, and the exception type is logged at
     * WARNING without its message, which could quote request content.
     *
     * @param unexpected what the validator threw
     * @return the failure to render with {@link org.dpopj.core.DPoPValidator#challenge(DPoPException)}
     */
    public static DPoPException unexpected(RuntimeException unexpected) {
        LOG.log(Level.WARNING, () -> "DPoP validation failed unexpectedly with " + unexpected.getClass().getName()
                + " at " + (unexpected.getStackTrace().length > 0 ? unexpected.getStackTrace()[0] : "?")
                + "; request refused with 400");
        return DPoPException.invalidRequest(Check.SINGLE_PROOF, "The request could not be validated");
    }

    /**
     * @param value a list of scopes separated by spaces or commas; may be {@code null}
     * @return the scopes, blanks dropped
     */
    public static List<String> scopes(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
