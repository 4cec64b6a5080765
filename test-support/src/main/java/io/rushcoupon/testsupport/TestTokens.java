package io.rushcoupon.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints HS256 bearer tokens the services accept in tests (format: docs/security.md, "Who is asking: bearer tokens"). */
public final class TestTokens {

    /** The HMAC secret test contexts are given as {@code rushcoupon.jwt.secret}. */
    public static final String SECRET = "rushcoupon-test-secret-0123456789-abcdefghijklmnop";

    public static final String ADMIN_SCOPE = "coupons:admin";

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

    /** A token with the given claims on top of a one-hour validity, signed with {@code secret}. */
    public static String sign(String secret, Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
