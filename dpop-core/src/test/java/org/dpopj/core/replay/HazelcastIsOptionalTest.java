package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast is an optional dependency of dpop-core: exactly one compiled class,
 * {@link HazelcastReplayCaches}, names a Hazelcast type, so that no other class needs Hazelcast to
 * load or verify, and an application without Hazelcast never loads it.
 */
class HazelcastIsOptionalTest {

    @Test
    void onlyHazelcastReplayCachesNamesHazelcastTypes() throws IOException, URISyntaxException {
        Path classes = Path.of(JCacheReplayStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> naming;
        try (Stream<Path> files = Files.walk(classes)) {
            naming = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(HazelcastIsOptionalTest::namesHazelcast)
                    .map(file -> classes.relativize(file).toString())
                    .toList();
        }

        assertThat(naming).containsExactly("org/dpopj/core/replay/HazelcastReplayCaches.class".replace('/',
                java.io.File.separatorChar));
    }

    private static boolean namesHazelcast(Path classFile) {
        try {
            // class names sit in the constant pool as modified UTF-8, readable as Latin-1
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("com/hazelcast/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
