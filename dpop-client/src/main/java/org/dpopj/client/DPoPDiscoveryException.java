package org.dpopj.client;

import java.io.IOException;

/**
 * Discovery failed: metadata that cannot be fetched or parsed, or that fails a check the RFCs make
 * mandatory (RFC 8414 §3.3 and RFC 9728 §3.3 identifier checks, an authorization server that does not
 * accept the signer's DPoP algorithm). The message names the URL and the failed check, never a token.
 */
public final class DPoPDiscoveryException extends IOException {

    private static final long serialVersionUID = 1L;

    DPoPDiscoveryException(String message) {
        super(message);
    }
}
