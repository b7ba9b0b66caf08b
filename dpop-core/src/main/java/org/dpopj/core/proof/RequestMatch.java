package org.dpopj.core.proof;

import java.lang.System.Logger.Level;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.internal.NormalizedUris;

/** RFC 9449 §4.3 steps 8 and 9: the proof names this request's method and target URI. Stateless. */
final class RequestMatch {

    private static final System.Logger LOG = System.getLogger(RequestMatch.class.getName());

    private RequestMatch() {
    }

    /** §4.3 step 8: {@code htm} matches the method, case-sensitively. */
    static void htm(ParsedProof proof, DPoPRequest request) throws DPoPException {
        if (!proof.htm().equals(request.method())) {
            throw DPoPException.invalidProof(Check.HTM, "htm does not match the request method");
        }
    }

    /**
     * §4.3 step 9: {@code htu} matches the target URI after normalisation, without query and fragment.
     * An {@code htu} equal to the target URI, character for character (the usual case), is normalised
     * once, for both. {@code uris} remembers the URIs normalised before.
     */
    static void htu(ParsedProof proof, DPoPRequest request, NormalizedUris uris) throws DPoPException {
        String received;
        try {
            received = uris.normalize(proof.htu());
        } catch (IllegalArgumentException e) {
            throw DPoPException.invalidProof(Check.HTU, "htu is not a valid http(s) URI: " + e.getMessage());
        }
        if (proof.htu().equals(request.targetUri())) {
            return;
        }
        String expected;
        try {
            expected = uris.normalize(request.targetUri());
        } catch (IllegalArgumentException e) {
            // the container accepted a request line that is not a valid URI: nothing can match it
            throw DPoPException.invalidProof(Check.HTU, "The request URI is not a valid http(s) URI");
        }
        if (!expected.equals(received)) {
            LOG.log(Level.DEBUG, () -> "DPoP htu mismatch: expected " + expected + " received " + received);
            throw DPoPException.invalidProof(Check.HTU, "htu does not match the request URI");
        }
    }
}
