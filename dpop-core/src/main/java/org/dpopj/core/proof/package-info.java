/**
 * The RFC 9449 §4.3 proof checks as a pipeline of small parts, one idea each, run by
 * {@link org.dpopj.core.proof.ProofPipeline} in the order of {@link org.dpopj.core.Check}: parsing
 * ({@code ProofParser}), header checks, the signature, the request match ({@code htm}, {@code htu}),
 * freshness ({@code nonce}, {@code iat}), the token binding ({@code ath}, {@code cnf.jkt}) and the
 * {@code jti} recording. Internal: not exported from the {@code org.dpopj.core} module, not API.
 */
package org.dpopj.core.proof;
