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
}
