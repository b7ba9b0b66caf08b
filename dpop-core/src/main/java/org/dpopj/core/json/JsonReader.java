package org.dpopj.core.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;

import org.dpopj.core.json.MalformedJsonException.Kind;

/**
 * One strict parse of one JSON text: the structure of RFC 8259 §2, §4 and §5, with the duplicate-name
 * rule of RFC 7493 §2.3 and the bounds of {@link JsonLimits}. Nesting is kept on an explicit stack of
 * frames, not the thread's, so no depth of input can overflow the stack. Not thread-safe: create one
 * per text, as {@link StrictJson} does.
 */
final class JsonReader {

    /** Returned by {@link #startValue()} when it opened a non-empty container whose first value follows. */
    private static final Object OPENED = new Object();

    /** An object or array still open; the frame object is reused when its depth is reached again. */
    private static final class Frame {
        LinkedHashMap<String, Object> members;
        ArrayList<Object> elements;
        String name;
    }

    private final JsonScanner in;
    private final JsonLimits limits;
    private Frame[] frames;
    private int depth;

    JsonReader(String text, JsonLimits limits) {
        this.in = new JsonScanner(text, limits);
        this.limits = limits;
        this.frames = new Frame[Math.min(limits.maxDepth(), 8)];
    }

    /**
     * @param objectOnly whether the top-level value must be an object
     * @return the value, represented as {@link StrictJson} documents
     */
    Object read(boolean objectOnly) throws MalformedJsonException {
        if (in.peek() == '\uFEFF') {
            throw in.error(Kind.ENCODING, "byte order mark");
        }
        in.skipWhitespace();
        if (objectOnly && in.peek() != '{') {
            throw in.error(Kind.SYNTAX, "top-level value is not an object");
        }
        Object value = readValue();
        in.skipWhitespace();
        if (!in.atEnd()) {
            throw in.error(Kind.SYNTAX, "data after the top-level value");
        }
        return value;
    }

    private Object readValue() throws MalformedJsonException {
        for (;;) {
            Object value = startValue();
            if (value == OPENED) {
                continue;
            }
            for (;;) {
                if (depth == 0) {
                    return value;
                }
                Frame frame = frames[depth - 1];
                in.skipWhitespace();
                int c = in.peek();
                if (frame.members != null) {
                    frame.members.put(frame.name, value);
                    if (c == ',') {
                        if (frame.members.size() >= limits.maxMembers()) {
                            throw in.error(Kind.LIMIT, "object has more members than maxMembers " + limits.maxMembers());
                        }
                        in.skip();
                        readName(frame);
                        break;
                    }
                    if (c != '}') {
                        throw in.error(Kind.SYNTAX, "expected ',' or '}' after an object member");
                    }
                    value = Collections.unmodifiableMap(frame.members);
                } else {
                    frame.elements.add(value);
                    if (c == ',') {
                        if (frame.elements.size() >= limits.maxArrayLength()) {
                            throw in.error(Kind.LIMIT,
                                    "array has more elements than maxArrayLength " + limits.maxArrayLength());
                        }
                        in.skip();
                        in.skipWhitespace();
                        break;
                    }
                    if (c != ']') {
                        throw in.error(Kind.SYNTAX, "expected ',' or ']' after an array element");
                    }
                    value = Collections.unmodifiableList(frame.elements);
                }
                in.skip();
                frame.members = null;
                frame.elements = null;
                frame.name = null;
                depth--;
            }
        }
    }

    /**
     * Reads a scalar or an empty container, or opens a non-empty container up to its first value.
     *
     * @return the value, or {@link #OPENED} if a frame was pushed
     */
    private Object startValue() throws MalformedJsonException {
        int c = in.peek();
        switch (c) {
            case '{':
            case '[':
                if (depth >= limits.maxDepth()) {
                    throw in.error(Kind.LIMIT, "nesting deeper than maxDepth " + limits.maxDepth());
                }
                in.skip();
                in.skipWhitespace();
                int close = c == '{' ? '}' : ']';
                if (in.peek() == close) {
                    in.skip();
                    return c == '{' ? Collections.emptyMap() : Collections.emptyList();
                }
                Frame frame = push();
                if (c == '{') {
                    frame.members = new LinkedHashMap<>();
                    readName(frame);
                } else {
                    frame.elements = new ArrayList<>();
                }
                return OPENED;
            case '"':
                return in.readString();
            case 't':
                return in.readLiteral("true", Boolean.TRUE);
            case 'f':
                return in.readLiteral("false", Boolean.FALSE);
            case 'n':
                return in.readLiteral("null", null);
            case -1:
                throw in.error(Kind.SYNTAX, "input ended where a value was expected");
            default:
                if (c == '-' || JsonScanner.isDigit(c)) {
                    return in.readNumber();
                }
                throw in.error(Kind.SYNTAX, "unexpected character where a value was expected");
        }
    }

    private Frame push() {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, Math.min(frames.length * 2, limits.maxDepth()));
        }
        Frame frame = frames[depth];
        if (frame == null) {
            frame = new Frame();
            frames[depth] = frame;
        }
        depth++;
        return frame;
    }

    /** Reads {@code ws string ws ':' ws}, refusing a name the object already has (RFC 7493 §2.3). */
    private void readName(Frame frame) throws MalformedJsonException {
        in.skipWhitespace();
        if (in.peek() != '"') {
            throw in.error(Kind.SYNTAX, "expected a member name");
        }
        int at = in.position();
        String name = in.readString();
        if (frame.members.containsKey(name)) {
            throw new MalformedJsonException(Kind.DUPLICATE_NAME, "duplicate member name", at);
        }
        frame.name = name;
        in.skipWhitespace();
        if (in.peek() != ':') {
            throw in.error(Kind.SYNTAX, "expected ':' after a member name");
        }
        in.skip();
        in.skipWhitespace();
    }
}
