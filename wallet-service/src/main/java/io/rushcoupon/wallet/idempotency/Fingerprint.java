package io.rushcoupon.wallet.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The fingerprint of a request: SHA-256 (hex) of its canonical form, which the feature defines. */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static String of(String canonicalRequest) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalRequest.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            // every Java platform has SHA-256 (MessageDigest's documentation)
            throw new IllegalStateException(impossible);
        }
    }
}
