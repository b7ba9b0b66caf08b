package org.dpopj.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One element of an RFC 7239 {@code Forwarded} header: the {@code for}, {@code proto} and {@code host}
 * parameters the target-URI resolver reads. Parsed strictly; mutable only while parsing, confined to
 * one request.
 */
final class ForwardedElement {
    private String forValue;
    private String proto;
    private String host;

    /** @return {@code proto}, or {@code null} */
    String proto() {
        return proto;
    }

    /** @return {@code host}, or {@code null} */
    String host() {
        return host;
    }

    /** @return the IP literal of {@code for}, without port or brackets, or {@code null} */
    String forAddress() {
        if (forValue == null) {
            return null;
        }
        if (forValue.startsWith("[")) {
            int end = forValue.indexOf(']');
            return end < 0 ? null : forValue.substring(0, end + 1);
        }
        int colon = forValue.indexOf(':');
        return colon < 0 ? forValue : forValue.substring(0, colon);
    }

    /** RFC 7239 §4 over all field values: elements split on commas, pairs on semicolons, quoted-strings unescaped. */
    static List<ForwardedElement> parseAll(List<String> fields) {
        List<ForwardedElement> elements = new ArrayList<>();
        for (String field : fields) {
            parseField(field, elements);
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty Forwarded header");
        }
        return elements;
    }

    private static void parseField(String field, List<ForwardedElement> elements) {
        ForwardedElement current = new ForwardedElement();
        boolean currentHasPair = false;
        int i = 0;
        int n = field.length();
        while (i <= n) {
            i = skipWhitespace(field, i);
            if (i >= n || field.charAt(i) == ',') {
                if (currentHasPair) {
                    elements.add(current);
                }
                current = new ForwardedElement();
                currentHasPair = false;
                i++;
                continue;
            }
            if (field.charAt(i) == ';') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && isTokenChar(field.charAt(i))) {
                i++;
            }
            if (i == nameStart || i >= n || field.charAt(i) != '=') {
                throw new IllegalArgumentException("malformed Forwarded pair");
            }
            String name = field.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i++;
            String value;
            if (i < n && field.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = field.charAt(i++);
                    if (c == '\\' && i < n) {
                        quoted.append(field.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        quoted.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted string in Forwarded");
                }
                value = quoted.toString();
            } else {
                int valueStart = i;
                while (i < n && isTokenChar(field.charAt(i))) {
                    i++;
                }
                value = field.substring(valueStart, i);
            }
            i = skipWhitespace(field, i);
            if (i < n && field.charAt(i) != ';' && field.charAt(i) != ',') {
                throw new IllegalArgumentException("malformed Forwarded value");
            }
            if (current.set(name, value)) {
                throw new IllegalArgumentException("repeated Forwarded parameter");
            }
            currentHasPair = true;
        }
    }

    /** @return whether the parameter was already set (RFC 7239 §4: each at most once per element) */
    private boolean set(String name, String value) {
        switch (name) {
            case "for":
                boolean repeatedFor = forValue != null;
                forValue = value;
                return repeatedFor;
            case "proto":
                boolean repeatedProto = proto != null;
                proto = value.isEmpty() ? null : value;
                return repeatedProto;
            case "host":
                boolean repeatedHost = host != null;
                host = value.isEmpty() ? null : value;
                return repeatedHost;
            default:
                return false;
        }
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
