package org.dpopj.core.token;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * JSON helpers shared by the resolvers: strict object parsing (jose4j's parser, which rejects
 * duplicate member names), typed member readers and deep immutable copies. Stateless; package-private
 * so that no jose4j type leaks.
 */
final class Json {

    /** A member is present with the wrong JSON type. The message names the member, never its value. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private Json() {
    }

    /**
     * @param text JSON text
     * @return the top-level object, mutable, in document order
     * @throws MalformedException if the text is not a single JSON object
     */
    static Map<String, Object> parseObject(String text) throws MalformedException {
        Object parsed;
        try {
            parsed = JsonUtil.parseJson(text);
        } catch (JoseException | RuntimeException e) {
            // the parser's message may quote the input, so it is dropped
            throw new MalformedException("not a JSON object");
        }
        if (!(parsed instanceof Map)) {
            throw new MalformedException("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) parsed;
        return object;
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

    static Optional<Instant> numericDate(Map<String, Object> object, String name) throws MalformedException {
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number)) {
            throw new MalformedException(name + " is not a number");
        }
        double seconds = ((Number) value).doubleValue();
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new MalformedException(name + " is not a finite number");
        }
        try {
            return Optional.of(Instant.ofEpochSecond((long) Math.floor(seconds)));
        } catch (DateTimeException e) {
            throw new MalformedException(name + " is out of range");
        }
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
