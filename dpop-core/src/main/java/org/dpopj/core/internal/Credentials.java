package org.dpopj.core.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.dpopj.core.AuthScheme;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;

/**
 * The access token and scheme from the {@code Authorization} header fields (RFC 9449 §7.1, RFC 6750
 * §2.1, RFC 9110 §11.4). Immutable.
 *
 * @param scheme the scheme, or {@code null} when the request carries no credentials we support
 * @param token the token68 credentials, or {@code null}
 */
public record Credentials(AuthScheme scheme, String token) {

    private static final Credentials NONE = new Credentials(null, null);
    /** The token68 characters by ASCII code (RFC 9110 §11.2); constant after class initialisation. */
    private static final boolean[] TOKEN68 = token68Table();

    /** @return whether the request carried a DPoP or Bearer credential */
    public boolean present() {
        return scheme != null;
    }

    /**
     * @param fields every {@code Authorization} field value as received
     * @param tokenInQueryOrBody whether {@code access_token} appeared in the query or form body
     * @return the credentials; {@link #present()} is false for no field, or a scheme we do not support
     * @throws DPoPException {@code invalid_request} for several fields, several credentials, extra
     *     or empty credentials, or a token also sent in the query or body
     */
    public static Credentials parse(List<String> fields, boolean tokenInQueryOrBody) throws DPoPException {
        if (fields.size() > 1) {
            throw DPoPException.invalidRequest(Check.AUTHORIZATION, "Several Authorization header fields");
        }
        if (fields.isEmpty()) {
            if (tokenInQueryOrBody) {
                throw DPoPException.invalidRequest(Check.AUTHORIZATION,
                        "Access tokens are accepted only in the Authorization header");
            }
            return NONE;
        }
        String field = fields.get(0).trim();
        int space = indexOfWhitespace(field);
        String schemeName = space < 0 ? field : field.substring(0, space);
        Optional<AuthScheme> scheme = scheme(schemeName);
        if (scheme.isEmpty()) {
            if (field.indexOf(',') >= 0 && (containsScheme(field, "dpop") || containsScheme(field, "bearer"))) {
                throw DPoPException.invalidRequest(Check.AUTHORIZATION, "Several credentials in Authorization");
            }
            if (tokenInQueryOrBody) {
                throw DPoPException.invalidRequest(Check.AUTHORIZATION,
                        "Access tokens are accepted only in the Authorization header");
            }
            return NONE;
        }
        String credentials = space < 0 ? "" : field.substring(afterLeadingWhitespace(field, space));
        if (credentials.isEmpty()) {
            throw DPoPException.invalidRequest(Check.AUTHORIZATION, "Empty credentials in Authorization")
                    .withScheme(scheme.get());
        }
        if (!isToken68(credentials)) {
            String description = credentials.indexOf(',') >= 0
                    ? "Several credentials in Authorization" : "Authorization credentials are not token68";
            throw DPoPException.invalidRequest(Check.AUTHORIZATION, description).withScheme(scheme.get());
        }
        if (tokenInQueryOrBody) {
            throw DPoPException.invalidRequest(Check.AUTHORIZATION,
                    "Access token sent in more than one way").withScheme(scheme.get());
        }
        return new Credentials(scheme.get(), credentials);
    }

    private static Optional<AuthScheme> scheme(String name) {
        for (AuthScheme scheme : AuthScheme.values()) {
            if (scheme.httpName().equalsIgnoreCase(name)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    private static boolean containsScheme(String field, String scheme) {
        for (String part : field.split(",")) {
            String trimmed = part.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals(scheme) || trimmed.startsWith(scheme + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the index of the first character at or after {@code from} that {@link String#trim()} keeps:
     *     the credentials start there, and end where the trimmed field ends, so they are copied once
     */
    private static int afterLeadingWhitespace(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 9110 §11.2). */
    static boolean isToken68(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isToken68Char(text.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < n && text.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    /** One look-up per character: a token is checked on every request and runs to kilobytes. */
    private static boolean isToken68Char(char c) {
        return c < 128 && TOKEN68[c];
    }

    private static boolean[] token68Table() {
        boolean[] table = new boolean[128];
        for (char c = 0; c < 128; c++) {
            table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        }
        return table;
    }
}
