package org.dpopj.core.json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.dpopj.core.json.MalformedJsonException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.dpopj.core.json.StrictJsonTest.DPOP_HEADER;
import static org.dpopj.core.json.StrictJsonTest.rejection;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@link JsonLimits} bounds at and one past their edge, strict UTF-8, and error messages that keep secrets. */
class StrictJsonHostileInputTest {

    private static final JsonLimits JOSE = JsonLimits.JOSE;
    private static final Duration QUICKLY = Duration.ofSeconds(2);
    private static final String MARKER = "Zq7SECRETxK";

    private static MalformedJsonException rejectedUnderJose(String json) {
        return rejection(() -> StrictJson.parseObject(json, JOSE));
    }

    private static void acceptedUnderJose(String json) {
        assertThatNoException().isThrownBy(() -> StrictJson.parseObject(json, JOSE));
    }

    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static String nestedArraysInObject(int depth) {
        return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    private static String members(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    private static String stringMember(String content) {
        return "{\"a\":\"" + content + "\"}";
    }

    @ParameterizedTest
    @CsvSource({"0, 1, 1, 1, 1, maxDepth", "1, 0, 1, 1, 1, maxMembers", "1, 1, -1, 1, 1, maxArrayLength",
            "1, 1, 1, 0, 1, maxStringLength", "1, 1, 1, 1, -5, maxNumberLength"})
    void limitsRejectNonPositiveBounds(int depth, int members, int elements, int string, int number, String name) {
        assertThatThrownBy(() -> new JsonLimits(depth, members, elements, string, number))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name);
    }

    @Test
    void presetsHaveTheirDocumentedBounds() {
        assertThat(JsonLimits.JOSE).isEqualTo(new JsonLimits(8, 64, 64, 8192, 32));
        assertThat(JsonLimits.DOCUMENT).isEqualTo(new JsonLimits(16, 256, 256, 16384, 32));
    }

    @Test
    void acceptsNestingAtMaxDepth() {
        acceptedUnderJose(nestedObjects(8));
        acceptedUnderJose(nestedArraysInObject(8));
    }

    @Test
    void rejectsNestingOneBeyondMaxDepth() {
        assertThat(rejectedUnderJose(nestedObjects(9)).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejectedUnderJose(nestedArraysInObject(9)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void countsEmptyContainersTowardsDepth() {
        JsonLimits flat = new JsonLimits(1, 8, 8, 8, 8);

        assertThatNoException().isThrownBy(() -> StrictJson.parseObject("{\"a\":1}", flat));
        assertThat(rejection(() -> StrictJson.parseObject("{\"a\":{}}", flat)).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejection(() -> StrictJson.parseObject("{\"a\":[]}", flat)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void rejectsMillionDeepNestingQuicklyWithoutStackOverflow() {
        String arrays = "[".repeat(1_000_000);
        String objects = "{\"a\":".repeat(1_000_000);

        MalformedJsonException e = assertTimeoutPreemptively(QUICKLY,
                () -> rejection(() -> StrictJson.parse(arrays, JsonLimits.DOCUMENT)));
        assertThat(e.kind()).isEqualTo(Kind.LIMIT);
        assertThat(e.offset()).isEqualTo(16);
        assertThat(assertTimeoutPreemptively(QUICKLY, () -> rejectedUnderJose(objects)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void parsesDeepNestingIterativelyWhenTheLimitAllowsIt() throws MalformedJsonException {
        int depth = 100_000;
        Object value = StrictJson.parse("[".repeat(depth) + "]".repeat(depth), new JsonLimits(depth, 1, 1, 1, 1));

        assertThat(value).isInstanceOf(List.class);
    }

    @Test
    void acceptsObjectWithMaxMembers() {
        acceptedUnderJose(members(64));
    }

    @Test
    void rejectsObjectWithOneMemberOverMaxMembers() {
        assertThat(rejectedUnderJose(members(65)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void acceptsArrayWithMaxArrayLength() {
        acceptedUnderJose("{\"a\":[" + "1,".repeat(63) + "1]}");
    }

    @Test
    void rejectsArrayWithOneElementOverMaxArrayLength() {
        assertThat(rejectedUnderJose("{\"a\":[" + "1,".repeat(64) + "1]}").kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void appliesMemberAndElementBoundsToEachContainerSeparately() {
        String object = members(64);
        String array = "[" + "1,".repeat(63) + "1]";
        acceptedUnderJose("{\"a\":" + object + ",\"b\":" + object + ",\"c\":[" + (array + ",").repeat(63) + array + "]}");
    }

    @Test
    void acceptsStringsAtMaxStringLength() {
        acceptedUnderJose(stringMember("x".repeat(8192)));
        acceptedUnderJose(stringMember("\\u0041".repeat(8192)));
        acceptedUnderJose(stringMember("\ud834\udd1e".repeat(4096)));
        acceptedUnderJose("{\"" + "n".repeat(8192) + "\":1}");
    }

    @Test
    void rejectsStringsOneCharOverMaxStringLength() {
        assertThat(rejectedUnderJose(stringMember("x".repeat(8193))).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejectedUnderJose(stringMember("\\u0041".repeat(8193))).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejectedUnderJose(stringMember("\\n" + "x".repeat(8192))).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejectedUnderJose(stringMember("\ud834\udd1e".repeat(4096) + "x")).kind()).isEqualTo(Kind.LIMIT);
        assertThat(rejectedUnderJose("{\"" + "n".repeat(8193) + "\":1}").kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void rejectsMegabyteStringQuickly() {
        String megabyte = stringMember("x".repeat(1 << 20));
        String escapedMegabyte = stringMember("\\n".repeat(1 << 19));

        MalformedJsonException e = assertTimeoutPreemptively(QUICKLY, () -> rejectedUnderJose(megabyte));
        assertThat(e.kind()).isEqualTo(Kind.LIMIT);
        assertThat(e.offset()).isEqualTo(5);
        assertThat(assertTimeoutPreemptively(QUICKLY, () -> rejectedUnderJose(escapedMegabyte)).kind())
                .isEqualTo(Kind.LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"11111111111111111111111111111111", "-1111111111111111111111111111111",
            "1.111111111111111111111111111111", "1e000000000000000000000000000005", "-0.1E+00000000000000000000000001"})
    void acceptsNumbersAtMaxNumberLength(String number) {
        assertThat(number).hasSize(32);
        acceptedUnderJose("{\"n\":" + number + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"111111111111111111111111111111111", "-11111111111111111111111111111111",
            "1.1111111111111111111111111111111", "1e0000000000000000000000000000005", "-0.1E+111111111111111111111111111",
            "1.11111111111111111111111111111e1"})
    void rejectsNumbersOneCharOverMaxNumberLength(String number) {
        assertThat(number).hasSize(33);
        assertThat(rejectedUnderJose("{\"n\":" + number + "}").kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void rejectsMegabyteNumberQuickly() {
        String number = "{\"n\":" + "9".repeat(1 << 20) + "}";

        assertThat(assertTimeoutPreemptively(QUICKLY, () -> rejectedUnderJose(number)).kind()).isEqualTo(Kind.LIMIT);
    }

    @Test
    void decodesUtf8Bytes() throws MalformedJsonException {
        byte[] utf8 = "{\"a\":\"caf\u00e9 \u20ac \ud83d\ude00 \ufeff\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(StrictJson.parseObject(utf8, JOSE)).containsExactly(entry("a", "caf\u00e9 \u20ac \ud83d\ude00 \ufeff"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "c1bf", "e080af", "f08080af", "eda080", "edbfbf", "eda0bdedb880", "e282", "f09f98",
            "ff", "fe", "80", "bf", "f4908080", "f5808080", "f888808080", "c328", "e228a1", "f0289f98"})
    void rejectsInvalidUtf8(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] json = new byte[bad.length + 8];
        System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, json, 0, 6);
        System.arraycopy(bad, 0, json, 6, bad.length);
        json[json.length - 2] = '"';
        json[json.length - 1] = '}';

        MalformedJsonException e = rejection(() -> StrictJson.parseObject(json, JOSE));
        assertThat(e.kind()).isEqualTo(Kind.ENCODING);
        assertThat(e.offset()).isEqualTo(6);
    }

    @Test
    void rejectsUtf8SequenceCutOffByTheEndOfInput() {
        byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xe2, (byte) 0x82};

        assertThat(rejection(() -> StrictJson.parseObject(json, JOSE)).kind()).isEqualTo(Kind.ENCODING);
    }

    @Test
    void rejectsByteOrderMark() {
        byte[] json = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};

        MalformedJsonException e = rejection(() -> StrictJson.parseObject(json, JOSE));
        assertThat(e.kind()).isEqualTo(Kind.ENCODING);
        assertThat(e.offset()).isZero();
        assertThat(rejection(() -> StrictJson.parseObject("\ufeff{}", JOSE)).kind()).isEqualTo(Kind.ENCODING);
    }

    @Test
    void rejectsUtf8EncodedNoncharacterInString() {
        byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xef, (byte) 0xbf, (byte) 0xbf, '"', '}'};

        assertThat(rejection(() -> StrictJson.parseObject(json, JOSE)).kind()).isEqualTo(Kind.ENCODING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"" + MARKER + "\":1,\"" + MARKER + "\":2}", "{\"a\":\"" + MARKER + "\u0001\"}",
            "{" + MARKER + ":1}", "{\"a\":\"" + MARKER + "\\q\"}", "{\"a\":" + MARKER + "}", "{\"a\":1} " + MARKER,
            "{\"a\":\"" + MARKER + "\\ud800\"}", "{\"a\":1" + MARKER + "}", "[\"" + MARKER + "\"]",
            "{\"a\":\"" + MARKER + "\uffff\"}", "{\"" + MARKER + "\" " + MARKER + "}", "{\"a\":\"" + MARKER,
            "{\"a\":[\"" + MARKER + "\" \"" + MARKER + "\"]}", "{\"a\":-" + MARKER + "}", "{\"a\":tru" + MARKER + "}",
            "{\"a\":\"" + MARKER + "x\"," + "\"b\":\"" + MARKER + "\\u12" + MARKER + "\"}"})
    void messagesNeverQuoteTheInput(String json) {
        assertDoesNotLeak(() -> StrictJson.parseObject(json, JOSE));
        assertDoesNotLeak(() -> StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8), JOSE));
    }

    @Test
    void limitMessagesNeverQuoteTheInput() {
        assertDoesNotLeak(() -> StrictJson.parseObject(stringMember(MARKER.repeat(1000)), JOSE));
        assertDoesNotLeak(() -> StrictJson.parseObject("{\"n\":31415926535897932384626433832795028841}", JOSE));
    }

    private static void assertDoesNotLeak(ThrowingCallable parse) {
        MalformedJsonException e = rejection(parse);
        assertThat(e.getMessage()).contains("offset").doesNotContain(MARKER).doesNotContain("SECRET")
                .doesNotContain("Zq7").doesNotContain("3141592");
    }

    @Test
    void exceptionsAreStackless() {
        assertThat(rejectedUnderJose("{,}").getStackTrace()).isEmpty();
    }

    @Test
    void rejectsNullArguments() {
        assertThatThrownBy(() -> StrictJson.parseObject((String) null, JOSE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StrictJson.parseObject((byte[]) null, JOSE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{}", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StrictJson.parse(null, JOSE)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void parsesTypicalDPoPProofHeaderQuickly() throws MalformedJsonException {
        byte[] utf8 = DPOP_HEADER.getBytes(StandardCharsets.UTF_8);
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += StrictJson.parseObject(DPOP_HEADER, JOSE).size() + StrictJson.parseObject(utf8, JOSE).size();
        }
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            sink += StrictJson.parseObject(DPOP_HEADER, JOSE).size();
        }
        long text = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            sink += StrictJson.parseObject(utf8, JOSE).size();
        }
        long bytes = System.nanoTime() - start;

        System.out.printf("StrictJson: 100000 DPoP proof header parses: %d ms from String, %d ms from UTF-8 bytes%n",
                text / 1_000_000, bytes / 1_000_000);
        assertThat(sink).isPositive();
        assertThat((Map<?, ?>) StrictJson.parseObject(DPOP_HEADER, JOSE).get("jwk")).hasSize(4);
    }
}
