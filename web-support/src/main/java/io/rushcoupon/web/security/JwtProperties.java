package io.rushcoupon.web.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.validation.constraints.AssertTrue;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the HTTP services verify bearer tokens ({@code rushcoupon.jwt.*}). Set exactly one of
 * {@code secret} (HS256, local and tests) or {@code jwkSetUri} (an identity provider). There is no
 * default secret: a service without either refuses to start. With an identity provider, issuer and
 * audience are required too: it signs tokens for every application it serves, and only these two
 * claims say a token was issued by it for this one.
 *
 * @param secret    HMAC secret for HS256 tokens, at least 32 bytes ({@code RUSHCOUPON_JWT_SECRET})
 * @param jwkSetUri JWK set of an identity provider ({@code RUSHCOUPON_JWT_JWK_SET_URI})
 * @param issuer    required {@code iss} claim; must be set with {@code jwkSetUri}, optional with a secret
 * @param audience  required {@code aud} member; must be set with {@code jwkSetUri}, optional with a secret
 */
@ConfigurationProperties("rushcoupon.jwt")
@Validated
public record JwtProperties(
        @Nullable String secret,
        @Nullable URI jwkSetUri,
        @Nullable String issuer,
        @Nullable String audience) {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** Whether tokens are verified with {@link #secret()} rather than an identity provider's keys. */
    public boolean hasSecret() {
        return secret != null && !secret.isBlank();
    }

    @AssertTrue(message = "set exactly one of rushcoupon.jwt.secret (RUSHCOUPON_JWT_SECRET) or rushcoupon.jwt.jwk-set-uri")
    public boolean isExactlyOneKeySource() {
        return hasSecret() != (jwkSetUri != null);
    }

    @AssertTrue(message = "rushcoupon.jwt.secret must be at least " + MIN_SECRET_BYTES + " bytes for HS256")
    public boolean isSecretLongEnough() {
        return !hasSecret() || secret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES;
    }

    @AssertTrue(message = "rushcoupon.jwt.issuer is required with rushcoupon.jwt.jwk-set-uri (RUSHCOUPON_JWT_ISSUER)")
    public boolean isIssuerSetForAnIdentityProvider() {
        return jwkSetUri == null || hasIssuer();
    }

    @AssertTrue(message = "rushcoupon.jwt.audience is required with rushcoupon.jwt.jwk-set-uri (RUSHCOUPON_JWT_AUDIENCE)")
    public boolean isAudienceSetForAnIdentityProvider() {
        return jwkSetUri == null || hasAudience();
    }

    public boolean hasIssuer() {
        return issuer != null && !issuer.isBlank();
    }

    public boolean hasAudience() {
        return audience != null && !audience.isBlank();
    }
}
