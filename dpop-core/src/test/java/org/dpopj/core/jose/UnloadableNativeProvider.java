package org.dpopj.core.jose;

import java.security.Provider;

/**
 * Stands in for Amazon Corretto Crypto Provider on a machine where its native library cannot load:
 * the same {@code INSTANCE} and {@code getLoadingError()} as the real one, nothing else.
 */
public final class UnloadableNativeProvider extends Provider {

    private static final long serialVersionUID = 1L;

    /** What the real provider exposes; read reflectively. */
    public static final UnloadableNativeProvider INSTANCE = new UnloadableNativeProvider();

    private UnloadableNativeProvider() {
        super("UnloadableNative", "1.0", "a provider whose native code did not load");
    }

    /** @return why the native library did not load */
    public Throwable getLoadingError() {
        return new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path");
    }
}
