package org.dpopj.core.token;

import org.dpopj.core.testing.LoopbackIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The life of the loopback issuer shared by the token tests: started once per class, reset before
 * each test (subclasses then publish keys or answers in their own {@code @BeforeEach}), stopped after.
 */
abstract class LoopbackIssuerTest {

    static LoopbackIssuer issuer;

    @BeforeAll
    static void startIssuer() {
        issuer = LoopbackIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void resetIssuer() {
        issuer.reset();
    }
}
