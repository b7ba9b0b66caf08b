package org.dpopj.it.rs.app;

import org.dpopj.core.DPoPBinding;

/** One line describing a binding, the same for servlets and resources: {@code jkt=.. jti=.. htm=.. htu=.. sub=.. scopes=..}. */
public final class BindingText {

    private BindingText() {
    }

    public static String of(String where, DPoPBinding binding) {
        return "where=" + where
                + " jkt=" + binding.thumbprint()
                + " jti=" + binding.jti()
                + " htm=" + binding.htm()
                + " htu=" + binding.htu()
                + " sub=" + binding.subject().orElse("-")
                + " scopes=" + String.join(",", new java.util.TreeSet<>(binding.scopes()));
    }
}
