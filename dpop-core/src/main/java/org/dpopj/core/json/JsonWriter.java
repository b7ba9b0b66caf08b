package org.dpopj.core.json;

import java.util.Collection;

/**
 * Writes one JSON object (RFC 8259) member by member, for the documents and log lines the library
 * produces itself. Strings are escaped completely: quotes, backslashes, every control character and
 * the line and paragraph separators U+2028/U+2029, so a value can never end a log line or the object.
 * Lone surrogates are replaced by U+FFFD. Not thread-safe; one writer per document.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean first = true;

    /**
     * @param name the member name
     * @param value the string value; the member is left out when {@code null}
     * @return this writer
     */
    public JsonWriter string(String name, String value) {
        if (value != null) {
            name(name);
            quote(value);
        }
        return this;
    }

    /**
     * @param name the member name
     * @param value the boolean value
     * @return this writer
     */
    public JsonWriter bool(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    /**
     * @param name the member name
     * @param values the array's strings, in order; the member is left out when {@code null}
     * @return this writer
     */
    public JsonWriter strings(String name, Collection<String> values) {
        if (values != null) {
            name(name);
            out.append('[');
            boolean firstValue = true;
            for (String value : values) {
                if (!firstValue) {
                    out.append(',');
                }
                firstValue = false;
                quote(value);
            }
            out.append(']');
        }
        return this;
    }

    /** @return the closed object; the writer must not be used afterwards */
    public String close() {
        return out.append('}').toString();
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
