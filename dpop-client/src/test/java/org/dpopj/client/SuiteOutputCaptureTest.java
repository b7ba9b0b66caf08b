package org.dpopj.client;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs first in the client's test suite ({@link ClassOrderer.OrderAnnotation}, see
 * {@code junit-platform.properties}): from here on, everything written to {@code System.out} and
 * {@code System.err} and every log record at any level (the root logger and {@code org.dpopj} set to
 * {@code ALL}, stack traces included) is also kept in memory, for {@link KeyCustodyTest} to search at
 * the end of the run.
 */
@Order(Integer.MIN_VALUE)
class SuiteOutputCaptureTest {

    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    private static volatile boolean installed;

    /** @return everything captured so far */
    static synchronized String captured() {
        return CAPTURED.toString(StandardCharsets.UTF_8);
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(new PrintStream(new Tee(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err), true, StandardCharsets.UTF_8));
        Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(Level.ALL);
        Logger.getLogger("org.dpopj").setLevel(Level.ALL);
        SimpleFormatter formatter = new SimpleFormatter();
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                write(formatter.format(record).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private static synchronized void write(byte[] bytes) {
        CAPTURED.write(bytes, 0, bytes.length);
    }

    @Test
    void capturesAllOutputAndEveryLogRecordOfTheSuiteFromHereOn() {
        install();
        System.out.println("[custody] capturing the suite's output and log records at level ALL");
        Logger.getLogger("org.dpopj.client").finest("[custody] a FINEST record reaches the capture");

        org.assertj.core.api.Assertions.assertThat(captured()).contains("a FINEST record reaches the capture");
    }

    /** Writes to the original stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;

        Tee(OutputStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            original.write(b);
            SuiteOutputCaptureTest.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            original.write(b, off, len);
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            SuiteOutputCaptureTest.write(copy);
        }
    }
}
