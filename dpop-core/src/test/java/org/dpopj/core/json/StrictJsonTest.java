package org.dpopj.core.json;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.dpopj.core.json.MalformedJsonException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

/** The grammar of RFC 8259 and the I-JSON rules of RFC 7493 §2.1 and §2.3, as {@link StrictJson} applies them. */
class StrictJsonTest {

    static final String DPOP_HEADER = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\","
            + "\"x\":\"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs\",\"y\":\"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA\","
            + "\"crv\":\"P-256\"}}";

    private static final JsonLimits LIMITS = JsonLimits.DOCUMENT;

    static MalformedJsonException rejection(ThrowingCallable parse) {
        MalformedJsonException e = catchThrowableOfType(MalformedJsonException.class, parse);
        assertThat(e).as("expected a MalformedJsonException").isNotNull();
        return e;
    }

    private static MalformedJsonException rejected(String json) {
        return rejection(() -> StrictJson.parse(json, LIMITS));
    }

    private static Object value(String json) throws MalformedJsonException {
        return StrictJson.parse(json, LIMITS);
    }

    @Test
    void keepsMemberOrder() throws MalformedJsonException {
        Map<String, Object> object = StrictJson.parseObject("{\"z\":1,\"a\":2,\"m\":3}", LIMITS);

        assertThat(object.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void keepsNullMembersAsPresent() throws MalformedJsonException {
        Map<String, Object> object = StrictJson.parseObject("{\"nonce\":null}", LIMITS);

        assertThat(object).containsKey("nonce").doesNotContainKey("jti");
        assertThat(object.get("nonce")).isNull();
    }

    @Test
    void keepsNullArrayElements() throws MalformedJsonException {
        assertThat(value("[null,1,null]")).isEqualTo(Arrays.asList(null, 1L, null));
    }

    @Test
    void returnsUnmodifiableObjectsAndArrays() throws MalformedJsonException {
        Map<String, Object> object = StrictJson.parseObject("{\"a\":[1],\"o\":{\"b\":2},\"e\":{},\"l\":[]}", LIMITS);

        assertThat(object).isUnmodifiable();
        assertThat((List<?>) object.get("a")).isUnmodifiable();
        assertThat((Map<?, ?>) object.get("o")).isUnmodifiable();
        assertThat((Map<?, ?>) object.get("e")).isEmpty();
        assertThat((List<?>) object.get("l")).isEmpty();
    }

    @Test
    void parseAcceptsAnyTopLevelValue() throws MalformedJsonException {
        assertThat(value("\"s\"")).isEqualTo("s");
        assertThat(value(" 7 ")).isEqualTo(7L);
        assertThat(value("true")).isEqualTo(Boolean.TRUE);
        assertThat(value("false")).isEqualTo(Boolean.FALSE);
        assertThat(value("null")).isNull();
        assertThat(value("[]")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"a\"", "1", "null", "true"})
    void parseObjectRejectsTopLevelValuesOtherThanObjects(String json) {
        MalformedJsonException e = rejection(() -> StrictJson.parseObject(json, LIMITS));

        assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(e.offset()).isZero();
    }

    @Test
    void acceptsTheFourWhitespaceCharactersBetweenTokens() throws MalformedJsonException {
        String ws = " \t\n\r";
        Object parsed = value(ws + "{" + ws + "\"a\"" + ws + ":" + ws + "[" + ws + "1" + ws + "," + ws + "2"
                + ws + "]" + ws + "}" + ws);

        assertThat(parsed).isEqualTo(Map.of("a", List.of(1L, 2L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u000b", "\f", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u0000"})
    void rejectsOtherWhitespace(String space) {
        assertThat(rejected("{\"a\":" + space + "1}").offset()).isEqualTo(5);
    }

    @Test
    void rejectsTrailingCommaInObject() {
        assertThat(rejected("{\"a\":1,}").offset()).isEqualTo(7);
    }

    @Test
    void rejectsTrailingCommaInArray() {
        assertThat(rejected("[1,]").offset()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1 \"b\":2}", "[1 2]", "[[] []]", "[{} {}]", "{\"a\":{} \"b\":1}"})
    void rejectsMissingComma(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,,\"b\":2}", "[1,,2]", "[,1]", "{,\"a\":1}", "[,]", "{,}"})
    void rejectsDoubledOrLeadingComma(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\" 1}", "{\"a\"}", "{\"a\"::1}", "{\"a\":1:}", "{\"a\"=1}", "{\"a\",1}"})
    void rejectsMissingOrDoubledColon(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}/**/", "{/*c*/\"a\":1}", "{\"a\":1}//c", "[1]#c", "[1,//c\n2]"})
    void rejectsComments(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'a':1}", "{\"a\":'b'}", "['a']"})
    void rejectsSingleQuotes(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a:1}", "{1:1}", "{null:1}", "{true:1}", "{[]:1}", "{{}:1}"})
    void rejectsNamesThatAreNotStrings(String json) {
        assertThat(rejected(json).offset()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{}x", "{}]", "{}}", "[] []", "1 2", "\"a\"\"b\"", "{}\u0000"})
    void rejectsDataAfterTheTopLevelValue(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\r\n", "{", "[", "{\"a\":", "{\"a\":1", "[1", "[1,", "{\"a\""})
    void rejectsEmptyOrUnfinishedInput(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"True", "FALSE", "Null", "nul", "tru", "fals", "nulll", "truefalse", "undefined", "None"})
    void rejectsMisspelledLiterals(String literal) {
        assertThat(rejected("[" + literal + "]").kind()).isEqualTo(Kind.SYNTAX);
    }

    @Test
    void parsesIntegersThatFitInALongAsLong() throws MalformedJsonException {
        assertThat(value("[0,-0,1,-1,1300819380,9223372036854775807,-9223372036854775808]"))
                .isEqualTo(List.of(0L, 0L, 1L, -1L, 1300819380L, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Test
    void parsesIntegersBeyondALongAsBigDecimal() throws MalformedJsonException {
        assertThat(value("[9223372036854775808,-9223372036854775809,99999999999999999999]")).isEqualTo(List.of(
                new BigDecimal("9223372036854775808"), new BigDecimal("-9223372036854775809"),
                new BigDecimal("99999999999999999999")));
    }

    @Test
    void parsesFractionsAndExponentsAsBigDecimalOfTheLexeme() throws MalformedJsonException {
        assertThat(value("[1.0,1e2,1E+2,-0.5e-3,0.5,-0.0]")).isEqualTo(List.of(new BigDecimal("1.0"),
                new BigDecimal("1e2"), new BigDecimal("1E+2"), new BigDecimal("-0.5e-3"), new BigDecimal("0.5"),
                new BigDecimal("-0.0")));
    }

    @Test
    void keepsHugeExponentsCheap() throws MalformedJsonException {
        BigDecimal huge = (BigDecimal) value("1e999999999");

        assertThat(huge.scale()).isEqualTo(-999_999_999);
        assertThat(huge.unscaledValue()).isOne();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e2147483648", "1e-2147483648", "0.1e2147483648", "1.5e-2147483647", "-1E+9999999999"})
    void rejectsExponentsBeyondBigDecimal(String number) {
        assertThat(rejected(number).kind()).isEqualTo(Kind.LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "0.5", "-0.5", "0e1", "0E-0", "10", "100.001", "-1e+0"})
    void acceptsZeroAndNumbersWithoutLeadingZeros(String number) throws MalformedJsonException {
        assertThat(value("[" + number + "]")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "-00", "01.5", "00e1", "007"})
    void rejectsLeadingZeros(String number) {
        MalformedJsonException e = rejected("[" + number + "]");

        assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(e.offset()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.", ".5", "1e", "1e+", "1E-", "-", "-.5", "1.e1", "+1", "--1", "1..2", "0x10",
            "1_000", "1.5.3", "1e5e5", "- 1", "1 .5", "١"})
    void rejectsMalformedNumbers(String number) {
        assertThat(rejected("[" + number + "]").kind()).isEqualTo(Kind.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "+Infinity", "inf", "-NaN"})
    void rejectsNaNAndInfinity(String number) {
        assertThat(rejected("[" + number + "]").kind()).isEqualTo(Kind.SYNTAX);
    }

    @Test
    void takesStringsWithoutEscapesVerbatim() throws MalformedJsonException {
        assertThat(value("[\"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs\",\"caf\u00e9 \u20ac \ud834\udd1e\",\"\"]"))
                .isEqualTo(List.of("l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", "caf\u00e9 \u20ac \ud834\udd1e", ""));
    }

    @Test
    void decodesEveryEscape() throws MalformedJsonException {
        assertThat(value("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u00E9\\uABCD\\uabcd\\u0000z\""))
                .isEqualTo("a\"\\/\b\f\n\r\tA\u00e9\u00e9\uabcd\uabcd\u0000z");
    }

    @Test
    void decodesEscapedSurrogatePairs() throws MalformedJsonException {
        assertThat(value("[\"\\ud834\\udd1e\",\"\\uD83D\\uDE00x\"]"))
                .isEqualTo(List.of("\ud834\udd1e", "\ud83d\ude00x"));
    }

    @Test
    void decodesEscapesInMemberNames() throws MalformedJsonException {
        assertThat(StrictJson.parseObject("{\"\\u0061b\\n\":1}", LIMITS)).containsOnly(entry("ab\n", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\a", "\\x41", "\\U0041", "\\'", "\\0", "\\u12", "\\u12G4", "\\u 123",
            "\\u+123", "\\u-123", "\\u\uff10\uff10\uff10\uff10", "\\\n"})
    void rejectsInvalidEscapes(String escape) {
        MalformedJsonException e = rejected("[\"" + escape + "\"]");

        assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(e.offset()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\t", "\n", "\r", "\u001f"})
    void rejectsUnescapedControlCharactersInStrings(String control) {
        MalformedJsonException e = rejected("[\"ab" + control + "\"]");

        assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
        assertThat(e.offset()).isEqualTo(4);
    }

    @Test
    void acceptsDeleteAndOtherNonControlCharactersUnescaped() throws MalformedJsonException {
        assertThat(value("\" \u007f\u0080\u009f\u2028\"")).isEqualTo(" \u007f\u0080\u009f\u2028");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "\\ud800\\u0041", "\\udc00\\ud800", "\\ud800\\ud800", "\\ud800x",
            "\\uDBFF\\n", "x\\udfff", "\\ud800" + "\udc00", "\ud800" + "\\udc00"})
    void rejectsUnpairedOrMisorderedEscapedSurrogates(String escapes) {
        assertThat(rejected("[\"" + escapes + "\"]").kind()).isEqualTo(Kind.ENCODING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "\udc00", "\udc00\ud800", "\ud800\ud800", "\ud800x", "a\udfff"})
    void rejectsUnpairedOrMisorderedRawSurrogates(String raw) {
        assertThat(rejected("[\"" + raw + "\"]").kind()).isEqualTo(Kind.ENCODING);
        assertThat(rejected("[\"\\n" + raw + "\"]").kind()).isEqualTo(Kind.ENCODING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\uffff", "\\uFFFE", "\\ufdd0", "\\uFDEF", "\\ud83f\\udfff", "\\udbff\\udfff", "\uffff",
            "\ufdd0", "\ud83f\udffe", "\\n\ufffe"})
    void rejectsNoncharactersInStrings(String noncharacter) {
        assertThat(rejected("[\"" + noncharacter + "\"]").kind()).isEqualTo(Kind.ENCODING);
    }

    @Test
    void acceptsCharactersNextToTheNoncharacters() throws MalformedJsonException {
        assertThat(value("\"\\ufdcf\\ufdf0\\ufffd\\udbff\\udffd\ufffd\""))
                .isEqualTo("\ufdcf\ufdf0\ufffd\udbff\udffd\ufffd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"abc", "[\"abc\\\"]", "\"", "{\"a", "{\"a\\u00"})
    void rejectsUnterminatedStrings(String json) {
        assertThat(rejected(json).kind()).isEqualTo(Kind.SYNTAX);
    }

    @Test
    void rejectsDuplicateMemberNames() {
        MalformedJsonException e = rejected("{\"alg\":\"ES256\",\"alg\":\"none\"}");

        assertThat(e.kind()).isEqualTo(Kind.DUPLICATE_NAME);
        assertThat(e.offset()).isEqualTo(15);
    }

    @Test
    void rejectsDuplicateMemberNamesComparedAfterUnescaping() {
        assertThat(rejected("{\"alg\":1,\"\\u0061l\\u0067\":2}").kind()).isEqualTo(Kind.DUPLICATE_NAME);
    }

    @Test
    void rejectsDuplicateMemberNamesInNestedObjects() {
        assertThat(rejected("{\"jwk\":{\"x\":1,\"y\":2,\"x\":3}}").kind()).isEqualTo(Kind.DUPLICATE_NAME);
    }

    @Test
    void rejectsDuplicateNullMembers() {
        assertThat(rejected("{\"a\":null,\"a\":null}").kind()).isEqualTo(Kind.DUPLICATE_NAME);
    }

    @Test
    void acceptsTheSameNameInDifferentObjectsAndNamesThatDifferInCaseOrNormalisation()
            throws MalformedJsonException {
        assertThat(value("[{\"a\":{\"a\":1}},{\"a\":2}]")).isEqualTo(List.of(Map.of("a", Map.of("a", 1L)), Map.of("a", 2L)));
        assertThat(StrictJson.parseObject("{\"a\":1,\"A\":2,\"\u00e9\":3,\"e\u0301\":4}", LIMITS)).hasSize(4);
    }

    @Test
    void parsesTypicalDPoPProofHeader() throws MalformedJsonException {
        Map<String, Object> header = StrictJson.parseObject(DPOP_HEADER, JsonLimits.JOSE);

        assertThat(header).containsExactly(entry("typ", "dpop+jwt"), entry("alg", "ES256"), entry("jwk", Map.of(
                "kty", "EC", "x", "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
                "y", "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA", "crv", "P-256")));
    }
}
