package org.dpopj.it.leaks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log files the server module names in the system property {@value #PROPERTY} (comma-separated
 * paths), read from where they ended when {@link #mark()} was called: what the server wrote since.
 * A file that was shorter than its mark (rotated, or rewritten by a new server process) is read whole.
 */
final class ServerLog {

    static final String PROPERTY = "it.server.logs";

    private final Map<Path, Long> marks;

    private ServerLog(Map<Path, Long> marks) {
        this.marks = marks;
    }

    /** Where each log file ends now ({@code 0} for one that does not exist yet). */
    static ServerLog mark() {
        String paths = System.getProperty(PROPERTY);
        if (paths == null || paths.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set; the server module's failsafe configuration names its log files");
        }
        Map<Path, Long> marks = new LinkedHashMap<>();
        Arrays.stream(paths.split(",")).map(String::trim).filter(path -> !path.isEmpty()).map(Path::of)
                .forEach(file -> marks.put(file, size(file)));
        return new ServerLog(marks);
    }

    /** The files, for messages. */
    List<Path> files() {
        return List.copyOf(marks.keySet());
    }

    /**
     * The lines written since the mark, once the files have stopped growing for {@code quiet} (the
     * servers write their logs asynchronously or through buffers), waiting at most {@code limit}.
     */
    List<String> linesSinceMark(Duration quiet, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        long total = totalSize();
        Instant stableSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(100));
            long now = totalSize();
            if (now != total) {
                total = now;
                stableSince = Instant.now();
            } else if (Duration.between(stableSince, Instant.now()).compareTo(quiet) >= 0) {
                break;
            }
        }
        List<String> lines = new ArrayList<>();
        marks.forEach((file, mark) -> lines.addAll(linesFrom(file, mark)));
        return lines;
    }

    private long totalSize() {
        return marks.keySet().stream().mapToLong(ServerLog::size).sum();
    }

    private static List<String> linesFrom(Path file, long mark) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size >= mark) {
                in.skipNBytes(mark);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server log", e);
        }
    }
}
