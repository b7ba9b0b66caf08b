package org.dpopj.it.keycloak;

import java.util.concurrent.CompletableFuture;

/**
 * An issuer outage driven by a polling loop: {@link #tick()} stops Keycloak once {@code stopAfter}
 * milliseconds have passed, starts it again on another thread {@code downFor} milliseconds after it
 * stopped, and notes when its realm answers again. Times are milliseconds since construction, -1 until
 * they happen. One loop drives it (not thread-safe); {@link #close()} waits for the restart.
 */
final class ScheduledRestart implements AutoCloseable {

    private final KeycloakServer keycloak;
    private final long stopAfter;
    private final long downFor;
    private final long start = System.nanoTime();
    private long stoppedAt = -1;
    private long ready = -1;
    private CompletableFuture<Void> restart;

    ScheduledRestart(KeycloakServer keycloak, long stopAfter, long downFor) {
        this.keycloak = keycloak;
        this.stopAfter = stopAfter;
        this.downFor = downFor;
    }

    /** Stops or starts Keycloak when due; call once per loop iteration, before its requests. */
    void tick() {
        long now = elapsed();
        if (stoppedAt < 0 && now >= stopAfter) {
            keycloak.stop();
            stoppedAt = elapsed();
        }
        if (restart == null && stoppedAt >= 0 && now >= stoppedAt + downFor) {
            restart = CompletableFuture.runAsync(() -> {
                try {
                    keycloak.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        if (restart != null && ready < 0 && keycloak.realmAnswers()) {
            ready = elapsed();
        }
    }

    long elapsed() {
        return Jwts.millisSince(start);
    }

    long stoppedAt() {
        return stoppedAt;
    }

    /** @return when the realm's metadata was served again after the restart, or -1 */
    long ready() {
        return ready;
    }

    @Override
    public void close() {
        if (restart != null) {
            restart.join();
        }
    }
}
