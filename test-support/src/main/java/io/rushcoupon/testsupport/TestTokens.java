package io.rushcoupon.testsupport;

import java.util.function.Consumer;

import com.nimbusds.jwt.JWTClaimsSet;

import io.rushcoupon.harness.token.Tokens;

/** Tokens for tests (format: docs/security.md, "Who is asking: bearer tokens"), signed with the one secret test contexts are given ({@link Tokens} signs). */
public final class TestTokens {

    /** The HMAC secret test contexts are given as {@code rushcoupon.jwt.secret}. */
    public static final String SECRET = "rushcoupon-test-secret-0123456789-abcdefghijklmnop";

    public static final String ADMIN_SCOPE = Tokens.ADMIN_SCOPE;

    private TestTokens() {
    }

    public static String user(long userId) {
        return sign(SECRET, claims -> claims.subject(Long.toString(userId))
                .claim("email", "user" + userId + "@example.test")
                .claim("preferred_username", "user" + userId));
    }

    public static String admin() {
        return sign(SECRET, claims -> claims.subject("1").claim("scope", ADMIN_SCOPE));
    }

    /** As {@link Tokens#sign}. */
    public static String sign(String secret, Consumer<JWTClaimsSet.Builder> claims) {
        return Tokens.sign(secret, claims);
    }
}
