package org.dpopj.servlet.internal;

import java.util.Optional;

import org.dpopj.core.DPoPValidator;

/**
 * Where the adapters of one application find the validator another one already obtained, so that the
 * application keeps one replay store: a {@code ServletContext} attribute ({@link ServletContextBoard}),
 * or nowhere ({@link #NONE}, outside a servlet container). Not API (see the package).
 */
public interface ValidatorBoard {

    /** No board: nothing is found, nothing is published. */
    ValidatorBoard NONE = new ValidatorBoard() {
        @Override
        public Optional<DPoPValidator> published() {
            return Optional.empty();
        }

        @Override
        public boolean publishIfAbsent(DPoPValidator validator) {
            return false;
        }

        @Override
        public void withdraw(DPoPValidator validator) {
        }
    };

    /** @return the validator published for the application, if any */
    Optional<DPoPValidator> published();

    /** @return whether {@code validator} is now the published one because none was */
    boolean publishIfAbsent(DPoPValidator validator);

    /** Removes {@code validator} if it is the published one. */
    void withdraw(DPoPValidator validator);
}
