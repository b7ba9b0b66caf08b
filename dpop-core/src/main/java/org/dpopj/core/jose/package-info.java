/**
 * The library's one JOSE boundary: compact JWS parsing, JWK public keys, signature verification,
 * RFC 7638 thumbprints, base64url and SHA-256. It alone imports jose4j, and no jose4j type crosses
 * it. Internal: not exported from the {@code org.dpopj.core} module, not API.
 */
package org.dpopj.core.jose;
