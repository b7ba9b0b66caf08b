package org.dpopj.core.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.Signature;

import org.junit.jupiter.api.Test;

class IdleVerifiersTest {

    @Test
    void givesEachVerifierToOneTakerOnly() throws Exception {
        IdleVerifiers idle = new IdleVerifiers(2);
        Signature one = Signature.getInstance("SHA256withRSA");
        Signature two = Signature.getInstance("SHA256withRSA");
        idle.giveBack(one);
        idle.giveBack(two);

        Signature first = idle.take();
        Signature second = idle.take();

        assertThat(first).isNotNull();
        assertThat(second).isNotNull().isNotSameAs(first);
        assertThat(idle.take()).isNull();
    }

    @Test
    void dropsAVerifierGivenBackToFullSlots() throws Exception {
        IdleVerifiers idle = new IdleVerifiers(1);
        Signature kept = Signature.getInstance("SHA256withRSA");
        idle.giveBack(kept);
        idle.giveBack(Signature.getInstance("SHA256withRSA"));

        assertThat(idle.take()).isSameAs(kept);
        assertThat(idle.take()).isNull();
    }

    @Test
    void keepsAPowerOfTwoSlotsForThisMachine() {
        int slots = IdleVerifiers.defaultSlots();

        assertThat(Integer.bitCount(slots)).isEqualTo(1);
        assertThat(slots).isBetween(2, 64);
        assertThatIllegalArgumentException().isThrownBy(() -> new IdleVerifiers(3));
    }
}
