package org.dpopj.core.jose;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing the JCA provider of signature checks ({@code dpop.crypto.provider}) and falling back cleanly. */
class CryptoProviderTest {

    /** Records what is logged, level and message. */
    static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }

    @Test
    void jdkUsesTheJdksOwnProviderOrder() {
        assertThat(CryptoProvider.resolve("jdk", null).provider()).isEmpty();
    }

    @Test
    void autoFallsBackToTheJdkWhenTheNativeProviderIsNotOnTheClassPath() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("auto", log, "org.dpopj.absent.NativeProvider");

        assertThat(chosen.provider()).isEmpty();
        assertThat(log.lines).filteredOn(line -> line.contains("Corretto")).singleElement().asString().startsWith("DEBUG").contains("not on the class path");
    }

    @Test
    void accpAskedForButAbsentFallsBackWithOneWarning() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("accp", log, "org.dpopj.absent.NativeProvider");

        assertThat(chosen.provider()).isEmpty();
        assertThat(log.lines).filteredOn(line -> line.contains("Corretto")).singleElement().asString().startsWith("WARNING");
    }

    @Test
    void fallsBackWithOneWarningWhenTheNativeCodeCannotLoad() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("auto", log, UnloadableNativeProvider.class.getName());

        assertThat(chosen.provider()).isEmpty();
        assertThat(log.lines).filteredOn(line -> line.contains("Corretto")).singleElement().asString().startsWith("WARNING").contains("native code cannot load")
                .contains("UnsatisfiedLinkError");
    }

    @Test
    void usesARegisteredProviderByName() {
        CryptoProvider chosen = CryptoProvider.resolve("SunEC", null);

        assertThat(chosen.provider()).get().extracting(java.security.Provider::getName).isEqualTo("SunEC");
    }

    @Test
    void refusesTheNameOfAProviderThatIsNotRegistered() {
        assertThatThrownBy(() -> CryptoProvider.resolve("NoSuchProvider", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchProvider");
    }

    @Test
    void refusesABlankName() {
        assertThatThrownBy(() -> CryptoProvider.checkName(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifiesWithTheJdkTheAlgorithmsTheChosenProviderLacks() {
        Signatures signatures = new Signatures(CryptoProvider.resolve("SunEC", null));

        assertThat(signatures.usesChosenProvider(JwsAlgorithm.ES256)).isTrue();
        assertThat(signatures.usesChosenProvider(JwsAlgorithm.RS256)).isFalse();
    }

    @Test
    void autoVerifiesEd25519WithTinkWhenNoChosenProviderOffersIt() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("auto", log, "org.dpopj.absent.NativeProvider");

        assertThat(chosen.provider()).isEmpty();
        assertThat(chosen.ed25519()).isPresent();
        assertThat(new Signatures(chosen).usesChosenProvider(JwsAlgorithm.EdDSA)).isTrue();
        assertThat(new Signatures(chosen).usesChosenProvider(JwsAlgorithm.ES256)).isFalse();
        assertThat(log.lines).anyMatch(line -> line.startsWith("INFO") && line.contains("Tink"));
    }

    @Test
    void tinkAskedForButAbsentFallsBackToTheJdkWithOneWarning() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("tink", log, CryptoProvider.ACCP_CLASS, "org.dpopj.absent.Ed25519Verify");

        assertThat(chosen.provider()).isEmpty();
        assertThat(chosen.ed25519()).isEmpty();
        assertThat(log.lines).singleElement().asString().startsWith("WARNING").contains("not on the class path");
    }

    @Test
    void tinkThatFailsItsSelfTestIsNotUsed() {
        RecordingLogger log = new RecordingLogger();

        CryptoProvider chosen = CryptoProvider.resolve("tink", log, CryptoProvider.ACCP_CLASS,
                AcceptingEd25519Verify.class.getName());

        assertThat(chosen.ed25519()).isEmpty();
        assertThat(log.lines).singleElement().asString().startsWith("WARNING").contains("cannot be used");
    }

    @Test
    void jdkNeverUsesTink() {
        assertThat(CryptoProvider.resolve("jdk", null).ed25519()).isEmpty();
    }

    /** Shaped like Tink's verifier, but accepts every signature: the self-test must catch it. */
    public static final class AcceptingEd25519Verify {
        public AcceptingEd25519Verify(byte[] publicKey) {
        }

        public void verify(byte[] signature, byte[] data) {
        }
    }
}
