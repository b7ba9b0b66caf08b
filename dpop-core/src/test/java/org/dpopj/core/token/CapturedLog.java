package org.dpopj.core.token;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records what one logger writes at {@code WARNING} and above while open (the library's
 * {@link System.Logger}s go to java.util.logging in these tests).
 */
final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

    private CapturedLog(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /** @return the warnings so far, as level and message pattern */
    List<LogRecord> warnings() {
        return List.copyOf(warnings);
    }

    /** Asserts two warnings, without stack traces: the outage's start, then its end. */
    void assertOneOutageStartAndEnd(String start, String end) {
        assertThat(warnings).hasSize(2).allSatisfy(record -> assertThat(record.getThrown()).isNull());
        assertThat(warnings.get(0).getMessage()).contains(start);
        assertThat(warnings.get(1).getMessage()).contains(end);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
