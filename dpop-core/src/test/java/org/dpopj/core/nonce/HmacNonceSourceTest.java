package org.dpopj.core.nonce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.dpopj.core.spi.NonceSource.Status;
import org.junit.jupiter.api.Test;

/** Stateless, unpredictable server nonces (RFC 9449 §8, §8.1, §9). */
class HmacNonceSourceTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:30Z");

    /** The layout of a decoded nonce: random part, then the big-endian time step, then the tag. */
    private static final int RANDOM_BYTES = 18;
    private static final int STEP_BYTES = Long.BYTES;
    private static final int TAG_BYTES = 16;

    private final HmacNonceSource nonces = HmacNonceSource.create(SECRET, STEP);

    /** @return the nonce with one bit of byte {@code index} of its decoded form flipped */
    private static String flipBit(String nonce, int index) {
        byte[] bytes = Base64.getUrlDecoder().decode(nonce);
        bytes[index] ^= 0x01;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void issuesADifferentNonceEveryTimeWithinOneStep() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            issued.add(nonces.issue(NOW));
        }
        assertThat(issued).hasSize(100);
    }

    @Test
    void decodesToA144BitRandomPartAStepAndA128BitTag() {
        assertThat(Base64.getUrlDecoder().decode(nonces.issue(NOW)).length).isEqualTo(RANDOM_BYTES + STEP_BYTES + TAG_BYTES);
    }

    @Test
    void issuesOnlyNqcharCharacters() {
        for (int i = 0; i < 100; i++) {
            assertThat(nonces.issue(NOW.plusSeconds(i * 60L))).matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
        }
    }

    @Test
    void acceptsNonceOfTheCurrentStepAsFresh() {
        assertThat(nonces.check(nonces.issue(NOW), NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void acceptsNonceOfTheNextStepAsFreshToAbsorbNodeClockDifferences() {
        assertThat(nonces.check(nonces.issue(NOW.plus(STEP)), NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void acceptsNonceOfThePreviousStepAsExpiring() {
        assertThat(nonces.check(nonces.issue(NOW.minus(STEP)), NOW)).isEqualTo(Status.EXPIRING);
    }

    @Test
    void rejectsNonceFromTwoStepsAgo() {
        assertThat(nonces.check(nonces.issue(NOW.minus(STEP.multipliedBy(2))), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonceFromTwoStepsAhead() {
        assertThat(nonces.check(nonces.issue(NOW.plus(STEP.multipliedBy(2))), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void acceptsNonceFromAnotherNodeSharingTheSecret() {
        String fromOtherNode = HmacNonceSource.create(SECRET.clone(), STEP).issue(NOW);

        assertThat(nonces.check(fromOtherNode, NOW)).isEqualTo(Status.FRESH);
    }

    @Test
    void rejectsNonceOfAnotherSecret() {
        String foreign = HmacNonceSource.create("another secret, 32 bytes or more!".getBytes(StandardCharsets.UTF_8),
                STEP).issue(NOW);

        assertThat(nonces.check(foreign, NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonceOfARandomSecretSource() {
        assertThat(nonces.check(HmacNonceSource.withRandomSecret(STEP).issue(NOW), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonceWithTamperedRandomPart() {
        String nonce = nonces.issue(NOW);

        assertThat(nonces.check(flipBit(nonce, 0), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonceWithTamperedStep() {
        String nonce = nonces.issue(NOW);
        int lastStepByte = RANDOM_BYTES + STEP_BYTES - 1;

        assertThat(nonces.check(flipBit(nonce, lastStepByte), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonceWithTamperedTag() {
        String nonce = nonces.issue(NOW);
        int lastByte = Base64.getUrlDecoder().decode(nonce).length - 1;

        assertThat(nonces.check(flipBit(nonce, lastByte), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsTruncatedNonce() {
        String nonce = nonces.issue(NOW);

        assertThat(nonces.check(nonce.substring(0, nonce.length() - 1), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNonNqcharInputWithoutException() {
        String nonce = nonces.issue(NOW);
        for (String bad : new String[] {nonce.substring(1) + "\"", nonce.substring(1) + "\\", nonce.substring(1) + " ",
                nonce.substring(1) + "\u00e9", nonce.substring(1) + "=", ""}) {
            assertThat(nonces.check(bad, NOW)).as(bad).isEqualTo(Status.INVALID);
        }
    }

    @Test
    void rejectsOversizeInputWithoutException() {
        String nonce = nonces.issue(NOW);

        assertThat(nonces.check(nonce + nonce, NOW)).isEqualTo(Status.INVALID);
        assertThat(nonces.check("A".repeat(1 << 20), NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void rejectsNullWithoutException() {
        assertThat(nonces.check(null, NOW)).isEqualTo(Status.INVALID);
    }

    @Test
    void keepsMaxLifetimeAtThreeSteps() {
        assertThat(nonces.maxLifetime()).isEqualTo(STEP.multipliedBy(3));
    }
}
