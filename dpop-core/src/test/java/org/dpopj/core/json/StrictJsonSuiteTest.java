package org.dpopj.core.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.entry;
import static org.dpopj.core.json.StrictJsonTest.rejection;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Reference inputs: the examples of RFC 8259 §13 and RFC 7515 §A.1, and hand-written tables in the spirit
 * of the public JSONTestSuite (y_ must parse, n_ must not, i_ are implementation-defined and refused
 * under I-JSON, RFC 7493).
 */
class StrictJsonSuiteTest {

    /** Roomy bounds, so that these tables test the grammar and not {@link JsonLimits}. */
    private static final JsonLimits ROOMY = new JsonLimits(64, 1024, 1024, 1 << 16, 1024);

    private static final JsonLimits LIMITS = JsonLimits.DOCUMENT;

    private static Object value(String json) throws MalformedJsonException {
        return StrictJson.parse(json, LIMITS);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("y_array_arraysWithSpaces", "[[]   ]"),
                arguments("y_array_empty", "[]"),
                arguments("y_array_empty-string", "[\"\"]"),
                arguments("y_array_false", "[false]"),
                arguments("y_array_heterogeneous", "[null, 1, \"1\", {}]"),
                arguments("y_array_null", "[null]"),
                arguments("y_array_with_1_and_newline", "[1\n]"),
                arguments("y_array_with_leading_space", " [1]"),
                arguments("y_array_with_several_null", "[1,null,null,null,2]"),
                arguments("y_array_with_trailing_space", "[2] "),
                arguments("y_number", "[123e65]"),
                arguments("y_number_0e+1", "[0e+1]"),
                arguments("y_number_0e1", "[0e1]"),
                arguments("y_number_after_space", "[ 4]"),
                arguments("y_number_double_close_to_zero", "[-0.00000000000000000000000000000000000000000000000001]"),
                arguments("y_number_int_with_exp", "[20e1]"),
                arguments("y_number_minus_zero", "[-0]"),
                arguments("y_number_negative_int", "[-123]"),
                arguments("y_number_real_capital_e", "[1E22]"),
                arguments("y_number_real_capital_e_neg_exp", "[1E-2]"),
                arguments("y_number_real_capital_e_pos_exp", "[1E+2]"),
                arguments("y_number_real_fraction_exponent", "[123.456e78]"),
                arguments("y_number_real_neg_exp", "[1e-2]"),
                arguments("y_number_real_pos_exponent", "[1e+2]"),
                arguments("y_number_simple_real", "[123.456789]"),
                arguments("y_number_too_big_for_long", "[100000000000000000000]"),
                arguments("y_object", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}"),
                arguments("y_object_empty", "{}"),
                arguments("y_object_empty_key", "{\"\":0}"),
                arguments("y_object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}"),
                arguments("y_object_extreme_numbers", "{ \"min\": -1.0e+28, \"max\": 1.0e+28 }"),
                arguments("y_object_simple", "{\"a\":[]}"),
                arguments("y_object_string_unicode", "{\"title\":\"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430\" }"),
                arguments("y_object_with_newlines", "{\n\"a\": \"b\"\n}"),
                arguments("y_string_1_2_3_bytes_UTF-8_sequences", "[\"\\u0060\\u012a\\u12AB\"]"),
                arguments("y_string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]"),
                arguments("y_string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
                arguments("y_string_backslash_and_u_escaped_zero", "[\"\\\\u0000\"]"),
                arguments("y_string_comments", "[\"a/*b*/c/*d//e\"]"),
                arguments("y_string_escaped_control_character", "[\"\\u0012\"]"),
                arguments("y_string_in_array_with_leading_space", "[ \"asd\"]"),
                arguments("y_string_nonCharacter_neighbour_U+FFFD", "[\"\ufffd\"]"),
                arguments("y_string_pi", "[\"\u03c0\"]"),
                arguments("y_string_space", "\" \""),
                arguments("y_string_u+2028_line_sep", "[\"\u2028\"]"),
                arguments("y_string_uEscape", "[\"\\u0061\\u30af\\u30EA\\u30b9\"]"),
                arguments("y_string_unicode_escaped_double_quote", "[\"\\u0022\"]"),
                arguments("y_string_utf8", "[\"\u20ac\ud834\udd1e\"]"),
                arguments("y_string_with_del_character", "[\"a\u007fa\"]"),
                arguments("y_structure_lonely_false", "false"),
                arguments("y_structure_lonely_int", "42"),
                arguments("y_structure_lonely_negative_real", "-0.1"),
                arguments("y_structure_lonely_null", "null"),
                arguments("y_structure_lonely_string", "\"asd\""),
                arguments("y_structure_string_empty", "\"\""),
                arguments("y_structure_trailing_newline", "[\"a\"]\n"),
                arguments("y_structure_whitespace_array", " [] "));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments("n_array_1_true_without_comma", "[1 true]"),
                arguments("n_array_colon_instead_of_comma", "[\"\": 1]"),
                arguments("n_array_comma_after_close", "[\"\"],"),
                arguments("n_array_comma_and_number", "[,1]"),
                arguments("n_array_double_comma", "[1,,2]"),
                arguments("n_array_double_extra_comma", "[\"x\",,]"),
                arguments("n_array_extra_close", "[\"x\"]]"),
                arguments("n_array_extra_comma", "[\"\",]"),
                arguments("n_array_incomplete", "[\"x\""),
                arguments("n_array_incomplete_invalid_value", "[x"),
                arguments("n_array_inner_array_no_comma", "[3[4]]"),
                arguments("n_array_items_separated_by_semicolon", "[1:2]"),
                arguments("n_array_just_comma", "[,]"),
                arguments("n_array_just_minus", "[-]"),
                arguments("n_array_missing_value", "[   , \"\"]"),
                arguments("n_array_newlines_unclosed", "[\"a\",\n4\n,1,"),
                arguments("n_array_number_and_several_commas", "[1,,]"),
                arguments("n_array_spaces_vertical_tab_formfeed", "[\"\u000ba\"\\f]"),
                arguments("n_array_star_inside", "[*]"),
                arguments("n_array_unclosed_with_object_inside", "[{}"),
                arguments("n_incomplete_false", "[fals]"),
                arguments("n_incomplete_null", "[nul]"),
                arguments("n_incomplete_true", "[tru]"),
                arguments("n_number_++", "[++1234]"),
                arguments("n_number_+1", "[+1]"),
                arguments("n_number_+Inf", "[+Inf]"),
                arguments("n_number_-01", "[-01]"),
                arguments("n_number_-1.0.", "[-1.0.]"),
                arguments("n_number_-2.", "[-2.]"),
                arguments("n_number_-NaN", "[-NaN]"),
                arguments("n_number_.-1", "[.-1]"),
                arguments("n_number_.2e-3", "[.2e-3]"),
                arguments("n_number_0.1.2", "[0.1.2]"),
                arguments("n_number_0.3e+", "[0.3e+]"),
                arguments("n_number_0.e1", "[0.e1]"),
                arguments("n_number_0_capital_E+", "[0E+]"),
                arguments("n_number_1_000", "[1 000.0]"),
                arguments("n_number_1eE2", "[1eE2]"),
                arguments("n_number_9.e+", "[9.e+]"),
                arguments("n_number_expression", "[1+2]"),
                arguments("n_number_fullwidth_digit_one", "[\uff11]"),
                arguments("n_number_hex_1_digit", "[0x1]"),
                arguments("n_number_minus_sign_with_trailing_garbage", "[-foo]"),
                arguments("n_number_neg_int_starting_with_zero", "[-012]"),
                arguments("n_number_real_garbage_after_e", "[1ea]"),
                arguments("n_number_with_alpha", "[1.2a-3]"),
                arguments("n_number_with_leading_zero", "[012]"),
                arguments("n_object_bad_value", "[\"x\", truth]"),
                arguments("n_object_comma_instead_of_colon", "{\"x\", null}"),
                arguments("n_object_double_colon", "{\"x\"::\"b\"}"),
                arguments("n_object_garbage_at_end", "{\"a\":\"a\" 123}"),
                arguments("n_object_key_with_single_quotes", "{key: 'value'}"),
                arguments("n_object_missing_colon", "{\"a\" b}"),
                arguments("n_object_missing_key", "{:\"b\"}"),
                arguments("n_object_missing_semicolon", "{\"a\" \"b\"}"),
                arguments("n_object_missing_value", "{\"a\":"),
                arguments("n_object_no-colon", "{\"a\""),
                arguments("n_object_non_string_key", "{1:1}"),
                arguments("n_object_repeated_null_null", "{null:null,null:null}"),
                arguments("n_object_several_trailing_commas", "{\"id\":0,,,,,}"),
                arguments("n_object_single_quote", "{'a':0}"),
                arguments("n_object_trailing_comma", "{\"id\":0,}"),
                arguments("n_object_trailing_comment", "{\"a\":\"b\"}/**/"),
                arguments("n_object_trailing_comment_slash_open", "{\"a\":\"b\"}//"),
                arguments("n_object_two_commas_in_a_row", "{\"a\":\"b\",,\"c\":\"d\"}"),
                arguments("n_object_unquoted_key", "{a: \"b\"}"),
                arguments("n_object_unterminated-value", "{\"a\":\"a"),
                arguments("n_object_with_trailing_garbage", "{\"a\": true} \"x\""),
                arguments("n_single_space", " "),
                arguments("n_string_1_surrogate_then_escape", "[\"\\uD800\\\"]"),
                arguments("n_string_escape_x", "[\"\\x00\"]"),
                arguments("n_string_escaped_backslash_bad", "[\"\\\\\\\"]"),
                arguments("n_string_escaped_ctrl_char_tab", "[\"\\\t\"]"),
                arguments("n_string_incomplete_escape", "[\"\\\"]"),
                arguments("n_string_incomplete_escaped_character", "[\"\\u00A\"]"),
                arguments("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]"),
                arguments("n_string_no_quotes_with_bad_escape", "[\\n]"),
                arguments("n_string_single_quote", "['single quote']"),
                arguments("n_string_unescaped_newline", "[\"new\nline\"]"),
                arguments("n_string_unescaped_tab", "[\"\t\"]"),
                arguments("n_string_with_trailing_garbage", "\"\"x"),
                arguments("n_structure_angle_bracket_.", "<.>"),
                arguments("n_structure_array_with_unclosed_string", "[\"asd]"),
                arguments("n_structure_ascii-unicode-identifier", "a\u00e5"),
                arguments("n_structure_capitalized_True", "[True]"),
                arguments("n_structure_close_unopened_array", "1]"),
                arguments("n_structure_double_array", "[][]"),
                arguments("n_structure_end_array", "]"),
                arguments("n_structure_lone-open-bracket", "["),
                arguments("n_structure_no_data", ""),
                arguments("n_structure_null-byte-outside-string", "[\u0000]"),
                arguments("n_structure_object_followed_by_closing_object", "{}}"),
                arguments("n_structure_open_object", "{"),
                arguments("n_structure_single_star", "*"),
                arguments("n_structure_trailing_#", "{\"a\":\"b\"}#{}"),
                arguments("n_structure_unclosed_array_partial_null", "[ false, nul"),
                arguments("n_structure_UTF8_BOM_no_data", "\ufeff"),
                arguments("n_structure_whitespace_formfeed", "[\f]"),
                arguments("n_structure_whitespace_U+2060_word_joiner", "[\u2060]"));
    }

    static Stream<Arguments> refusedUnderIJson() {
        return Stream.of(
                arguments("i_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}"),
                arguments("i_object_duplicated_key_and_value", "{\"a\":\"b\",\"a\":\"b\"}"),
                arguments("i_object_key_lone_2nd_surrogate", "{\"\\uDFAA\":0}"),
                arguments("i_string_1st_surrogate_but_2nd_missing", "[\"\\uDADA\"]"),
                arguments("i_string_1st_valid_surrogate_2nd_invalid", "[\"\\uD888\\u1234\"]"),
                arguments("i_string_incomplete_surrogate_and_escape_valid", "[\"\\uD800\\n\"]"),
                arguments("i_string_incomplete_surrogates_escape_valid", "[\"\\uD800\\uD800\\n\"]"),
                arguments("i_string_inverted_surrogates_U+1D11E", "[\"\\uDd1e\\uD834\"]"),
                arguments("i_string_lone_second_surrogate", "[\"\\uDFAA\"]"),
                arguments("i_string_unicode_U+10FFFE_nonchar", "[\"\\uDBFF\\uDFFE\"]"),
                arguments("i_string_unicode_U+FDD0_nonchar", "[\"\\uFDD0\"]"),
                arguments("i_string_unicode_U+FFFE_nonchar", "[\"\\uFFFE\"]"),
                arguments("i_string_nonCharacterInUTF-8_U+FFFF", "[\"\uffff\"]"),
                arguments("i_string_last_surrogates_1_and_2", "[\"\\uDBFF\\uDFFF\"]"),
                arguments("i_number_huge_exp", "[0.4e00669999999999999999999999999999999999999999999999999999999]"),
                arguments("i_number_very_big_negative_int", "[-237462374673276894279832" + "7".repeat(1100) + "]"),
                arguments("i_structure_500_nested_arrays", "[".repeat(500) + "]".repeat(500)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsJsonTestSuiteStyleValidTexts(String name, String json) {
        assertThatNoException().isThrownBy(() -> StrictJson.parse(json, ROOMY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsJsonTestSuiteStyleInvalidTexts(String name, String json) {
        rejection(() -> StrictJson.parse(json, ROOMY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedUnderIJson")
    void rejectsImplementationDefinedTextsThatIJsonForbids(String name, String json) {
        rejection(() -> StrictJson.parse(json, ROOMY));
    }

    @Test
    void parsesRfc7515AppendixA1HeaderAndClaims() throws MalformedJsonException {
        byte[] header = Base64.getUrlDecoder().decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
        byte[] claims = Base64.getUrlDecoder().decode(
                "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ");

        assertThat(new String(header, StandardCharsets.UTF_8)).isEqualTo("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
        assertThat(StrictJson.parseObject(header, JsonLimits.JOSE))
                .containsExactly(entry("typ", "JWT"), entry("alg", "HS256"));
        assertThat(StrictJson.parseObject(claims, JsonLimits.JOSE)).containsExactly(entry("iss", "joe"),
                entry("exp", 1300819380L), entry("http://example.com/is_root", Boolean.TRUE));
    }

    @Test
    void parsesRfc8259Section13Examples() throws MalformedJsonException {
        Map<String, Object> image = StrictJson.parseObject("""
                {
                  "Image": {
                      "Width":  800,
                      "Height": 600,
                      "Title":  "View from 15th Floor",
                      "Thumbnail": {
                          "Url":    "http://www.example.com/image/481989943",
                          "Height": 125,
                          "Width":  100
                      },
                      "Animated" : false,
                      "IDs": [116, 943, 234, 38793]
                    }
                }""", LIMITS);
        Object places = value("""
                [
                  {
                     "precision": "zip",
                     "Latitude":  37.7668,
                     "Longitude": -122.3959,
                     "Address":   "",
                     "City":      "SAN FRANCISCO",
                     "State":     "CA",
                     "Zip":       "94107",
                     "Country":   "US"
                  },
                  {
                     "precision": "zip",
                     "Latitude":  37.371991,
                     "Longitude": -122.026020,
                     "Address":   "",
                     "City":      "SUNNYVALE",
                     "State":     "CA",
                     "Zip":       "94085",
                     "Country":   "US"
                  }
                ]""");

        Map<?, ?> inner = (Map<?, ?>) image.get("Image");
        assertThat(List.copyOf(inner.keySet()))
                .isEqualTo(List.of("Width", "Height", "Title", "Thumbnail", "Animated", "IDs"));
        assertThat(inner.get("Thumbnail")).isEqualTo(
                Map.of("Url", "http://www.example.com/image/481989943", "Height", 125L, "Width", 100L));
        assertThat(inner.get("Animated")).isEqualTo(Boolean.FALSE);
        assertThat(inner.get("IDs")).isEqualTo(List.of(116L, 943L, 234L, 38793L));
        assertThat((List<?>) places).hasSize(2).last()
                .isEqualTo(Map.of("precision", "zip", "Latitude", new BigDecimal("37.371991"),
                        "Longitude", new BigDecimal("-122.026020"), "Address", "", "City", "SUNNYVALE",
                        "State", "CA", "Zip", "94085", "Country", "US"));
        assertThat(value("\"Hello world!\"")).isEqualTo("Hello world!");
        assertThat(value("42")).isEqualTo(42L);
        assertThat(value("true")).isEqualTo(Boolean.TRUE);
    }
}
