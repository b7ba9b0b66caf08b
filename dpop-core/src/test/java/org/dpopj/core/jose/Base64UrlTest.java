package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64UrlTest {

    @Test
    void decodesEveryLengthAsTheJdkDecoderDoes() {
        Random random = new Random(9449);
        for (int length = 0; length <= 100; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

            assertThat(Base64Url.decode(encoded)).as("length %d", length).isEqualTo(bytes);
        }
    }

    @Test
    void decodesARangeOfALongerText() {
        String text = "xx." + Base64Url.encode(new byte[] {1, 2, 3, 4, (byte) 0xFF}) + ".yy";

        assertThat(Base64Url.decode(text, 3, text.length() - 3)).containsExactly(1, 2, 3, 4, 0xFF);
    }

    @Test
    void refusesNonCanonicalTrailingBits() {
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode("AB"));
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode("AAB"));
    }

    @Test
    void refusesPaddingAndCharactersOutsideTheAlphabet() {
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode("AA=="));
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode("AA+/"));
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode("A"));
    }

    @Test
    void refusesEveryCharacterOutsideTheAlphabetAtEveryPosition() {
        for (char bad : new char[] {'=', '+', '/', '.', ' ', '\0', '\u007F', '\u0080', '\u00C1', '\u0141', '\uFF21'}) {
            for (int length : new int[] {2, 3, 4, 6, 7, 8}) {
                for (int position = 0; position < length; position++) {
                    char[] text = "AAAAAAAA".substring(0, length).toCharArray();
                    text[position] = bad;
                    String encoded = new String(text);

                    assertThatIllegalArgumentException().as("%s", encoded).isThrownBy(() -> Base64Url.decode(encoded));
                }
            }
        }
    }

    @Test
    void refusesASurrogatePairAtEveryPositionOfARange() {
        for (int length : new int[] {4, 6, 8}) {
            for (int position = 0; position + 1 < length; position++) {
                String encoded = "AAAAAAAA".substring(0, position) + "\uD83D\uDE00" + "AAAAAAAA".substring(position + 2, length);

                assertThatIllegalArgumentException().as("%s", encoded)
                        .isThrownBy(() -> Base64Url.decode("x" + encoded + "x", 1, 1 + encoded.length()));
            }
        }
    }

    @Test
    void decodesAnAsciiRangeAsTheTextRange() {
        Random random = new Random(7515);
        for (int length = 0; length <= 100; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = "xx." + Base64Url.encode(bytes) + ".yy";
            byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

            assertThat(Base64Url.decode(ascii, 3, ascii.length - 3)).as("length %d", length).isEqualTo(bytes);
        }
    }

    @Test
    void refusesEveryByteOutsideTheAlphabetInAnAsciiRange() {
        for (int bad : new int[] {'=', '+', '/', '.', ' ', '?', 0, 0x7F, 0x80, 0xC1, 0xFF}) {
            for (int length : new int[] {2, 3, 4, 6, 7, 8}) {
                for (int position = 0; position < length; position++) {
                    byte[] ascii = "AAAAAAAA".substring(0, length).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    ascii[position] = (byte) bad;

                    assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode(ascii, 0, ascii.length));
                }
            }
        }
        byte[] nonCanonical = {'A', 'B'};
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode(nonCanonical, 0, 2));
    }

    @Test
    void comparesEqualStringsAsEqualAndAnyDifferenceAsUnequal() {
        String hash = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

        assertThat(Base64Url.constantTimeEquals(hash, new String(hash.toCharArray()))).isTrue();
        assertThat(Base64Url.constantTimeEquals("", "")).isTrue();
        for (int i = 0; i < hash.length(); i++) {
            char[] changed = hash.toCharArray();
            changed[i] ^= 1;
            assertThat(Base64Url.constantTimeEquals(hash, new String(changed))).as("position %d", i).isFalse();
        }
        assertThat(Base64Url.constantTimeEquals(hash, hash.substring(1))).isFalse();
        assertThat(Base64Url.constantTimeEquals(hash.substring(1), hash)).isFalse();
        assertThat(Base64Url.constantTimeEquals(hash, hash + "A")).isFalse();
        assertThat(Base64Url.constantTimeEquals(hash, "")).isFalse();
        assertThat(Base64Url.constantTimeEquals("", hash)).isFalse();
        assertThat(Base64Url.constantTimeEquals("AAAA", "AAAAAAAA")).isFalse();
    }
}
