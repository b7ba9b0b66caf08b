package org.dpopj.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Carries a rotated {@code DPoP-Nonce} (RFC 9449 §8.2): set at once, before anything can commit the
 * response, and set again after the application calls {@link #reset()}, which clears headers.
 * Confined to one request.
 */
final class NonceResponse extends HttpServletResponseWrapper {

    static final String DPOP_NONCE = "DPoP-Nonce";

    private final String nonce;

    NonceResponse(HttpServletResponse response, String nonce) {
        super(response);
        this.nonce = nonce;
        response.setHeader(DPOP_NONCE, nonce);
    }

    @Override
    public void reset() {
        super.reset();
        setNonce();
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        setNonce();
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        setNonce();
        super.sendError(status);
    }

    private void setNonce() {
        if (!isCommitted() && !containsHeader(DPOP_NONCE)) {
            super.setHeader(DPOP_NONCE, nonce);
        }
    }
}
