package org.dpopj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SignatureException;

import org.junit.jupiter.api.Test;

class EcdsaSignaturesTest {

    @Test
    void leftPadsShortValuesAndDropsTheSignByte() throws Exception {
        // r = 0x00ff (sign byte + one byte), s = 0x01
        byte[] der = {0x30, 0x07, 0x02, 0x02, 0x00, (byte) 0xff, 0x02, 0x01, 0x01};

        byte[] concat = EcdsaSignatures.derToConcat(der, 4);

        assertThat(concat).containsExactly(0, 0, 0, 0xff, 0, 0, 0, 1);
    }

    @Test
    void rejectsAValueLongerThanTheCurve() {
        byte[] der = {0x30, 0x08, 0x02, 0x03, 0x01, 0x02, 0x03, 0x02, 0x01, 0x01};

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 2)).isInstanceOf(SignatureException.class);
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] der = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00};

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 2)).isInstanceOf(SignatureException.class);
    }
}
