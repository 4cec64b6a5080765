package io.rushcoupon.localstack.token;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

import io.rushcoupon.localstack.Options;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.harness.token.Tokens;

/**
 * {@code ./rushcoupon token --user ID [--admin] [--hours N]}: prints a bearer token the local
 * stack accepts, signed with {@code RUSHCOUPON_JWT_SECRET} or, when that is unset, the secret the
 * running stack generated. Prints only the token, so {@code TOKEN=$(./rushcoupon token --user 7)} works.
 */
public final class TokenCommand {

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--user", "--hours"), Set.of("--admin"));
        long user = options.requiredNumber("--user");
        long hours = options.number("--hours", 12);
        String secret = System.getenv("RUSHCOUPON_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            secret = StackInfo.readCurrent().jwtSecret();
        }
        System.out.println(mint(secret, user, options.flag("--admin"), Duration.ofHours(hours)));
        return 0;
    }

    /** A fresh HS256 secret: 32 random bytes, URL-safe Base64. */
    public static String newSecret() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** A token for {@code user}, with the admin scope when asked. */
    public static String mint(String secret, long user, boolean admin, Duration validFor) {
        return Tokens.sign(secret, claims -> {
            claims.subject(Long.toString(user))
                    .claim("email", "user" + user + "@rushcoupon.local")
                    .claim("preferred_username", "user" + user)
                    .expirationTime(Date.from(Instant.now().plus(validFor)));
            if (admin) {
                claims.claim("scope", Tokens.ADMIN_SCOPE);
            }
        });
    }
}
