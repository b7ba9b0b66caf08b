package org.dpopj.core.token;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;

/**
 * JSON helpers shared by the resolvers: strict I-JSON object parsing of issuer documents (RFC 8259,
 * RFC 7493), typed member readers and deep immutable copies. Stateless.
 */
final class Json {

    /** A member is present with the wrong JSON type. The message names the member, never its value. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final BigDecimal MAX_NUMERIC_DATE = BigDecimal.valueOf(99_999_999_999L);

    private Json() {
    }

    /**
     * @param text JSON text
     * @return the top-level object, mutable, in document order
     * @throws MalformedException if the text is not a single JSON object
     */
    static Map<String, Object> parseObject(String text) throws MalformedException {
        try {
            return StrictJson.parseObject(text, JsonLimits.DOCUMENT);
        } catch (MalformedJsonException e) {
            throw new MalformedException("not a strict JSON object: " + e.getMessage());
        }
    }

    static Optional<String> string(Map<String, Object> object, String name) throws MalformedException {
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String)) {
            throw new MalformedException(name + " is not a string");
        }
        return Optional.of((String) value);
    }

    /** RFC 7519 §2 NumericDate: seconds after 1970, before the year 5138; a fraction is dropped. */
    static Optional<Instant> numericDate(Map<String, Object> object, String name) throws MalformedException {
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        long seconds;
        if (value instanceof Long) {
            seconds = (Long) value;
        } else if (value instanceof BigDecimal) {
            BigDecimal decimal = (BigDecimal) value;
            // compared before any conversion, so that 1e999999999 costs nothing
            if (decimal.signum() < 0 || decimal.compareTo(MAX_NUMERIC_DATE) > 0) {
                throw new MalformedException(name + " is out of range");
            }
            seconds = decimal.longValue();
        } else {
            throw new MalformedException(name + " is not a number");
        }
        if (seconds < 0 || seconds > MAX_NUMERIC_DATE.longValue()) {
            throw new MalformedException(name + " is out of range");
        }
        return Optional.of(Instant.ofEpochSecond(seconds));
    }

    static Optional<Map<String, Object>> object(Map<String, Object> object, String name) throws MalformedException {
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map)) {
            throw new MalformedException(name + " is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> member = (Map<String, Object>) value;
        return Optional.of(member);
    }

    /** @return a string member as a one-element list, or an array of strings as a list */
    static Optional<List<String>> stringOrStrings(Map<String, Object> object, String name) throws MalformedException {
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String) {
            return Optional.of(List.of((String) value));
        }
        if (value instanceof List) {
            List<String> strings = new ArrayList<>();
            for (Object element : (List<?>) value) {
                if (!(element instanceof String)) {
                    throw new MalformedException(name + " contains a non-string");
                }
                strings.add((String) element);
            }
            return Optional.of(List.copyOf(strings));
        }
        throw new MalformedException(name + " is neither a string nor an array of strings");
    }

    /**
     * The {@code cnf.jkt} confirmation (RFC 9449 §6.1, RFC 7800 §3.1): {@code cnf}, when present,
     * must be an object, and its {@code jkt}, when present, a non-empty string.
     */
    static Optional<String> jkt(Map<String, Object> claims) throws MalformedException {
        Optional<Map<String, Object>> cnf = object(claims, "cnf");
        if (cnf.isEmpty()) {
            return Optional.empty();
        }
        Object jkt = cnf.get().get("jkt");
        if (jkt == null) {
            return Optional.empty();
        }
        if (!(jkt instanceof String) || ((String) jkt).isEmpty()) {
            throw new MalformedException("cnf.jkt is not a non-empty string");
        }
        return Optional.of((String) jkt);
    }

    /** @return a deep copy with unmodifiable maps and lists; {@code null} map values are dropped */
    static Map<String, Object> immutableCopy(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>();
        object.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, immutableValue(value));
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value) {
        if (value instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            return immutableCopy(map);
        }
        if (value instanceof List) {
            List<Object> list = new ArrayList<>();
            for (Object element : (List<?>) value) {
                list.add(element == null ? null : immutableValue(element));
            }
            return Collections.unmodifiableList(list);
        }
        return value;
    }
}
