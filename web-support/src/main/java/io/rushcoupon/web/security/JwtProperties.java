package io.rushcoupon.web.security;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the HTTP services verify bearer tokens. Set exactly one of {@code secret} (HS256, local and
 * tests) or {@code jwkSetUri} (an identity provider). There is no default secret.
 *
 * @param secret    HMAC secret for HS256 tokens, at least 32 bytes ({@code RUSHCOUPON_JWT_SECRET})
 * @param jwkSetUri JWK set of an identity provider ({@code RUSHCOUPON_JWT_JWK_SET_URI})
 * @param issuer    required {@code iss} claim, when set
 * @param audience  required {@code aud} member, when set
 */
@ConfigurationProperties("rushcoupon.jwt")
public record JwtProperties(
        @Nullable String secret,
        @Nullable URI jwkSetUri,
        @Nullable String issuer,
        @Nullable String audience) {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
}
