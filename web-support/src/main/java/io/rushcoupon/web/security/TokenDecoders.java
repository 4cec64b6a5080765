package io.rushcoupon.web.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Builds the token decoder from {@link JwtProperties}; refuses to start without a key. A token is
 * accepted only when it is signed with the configured key and algorithm (HS256 with a secret;
 * unsigned {@code alg: none} tokens never), has an expiry that has not passed, is not used before
 * its {@code nbf}, has a positive integer {@code sub}, and the configured issuer and audience
 * (always configured with an identity provider's JWK set, optional with the local secret).
 */
public final class TokenDecoders {

    private TokenDecoders() {
    }

    public static JwtDecoder from(JwtProperties properties) {
        // the binder refuses such settings at start-up already (JwtProperties' constraints); this
        // keeps a caller that builds the record itself from getting a decoder without a key
        if (!properties.isExactlyOneKeySource() || !properties.isSecretLongEnough()
                || !properties.isIssuerSetForAnIdentityProvider() || !properties.isAudienceSetForAnIdentityProvider()) {
            throw new IllegalStateException("rushcoupon.jwt settings break JwtProperties' constraints");
        }
        NimbusJwtDecoder decoder;
        if (properties.hasSecret()) {
            byte[] key = properties.secret().getBytes(StandardCharsets.UTF_8);
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        } else {
            decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString()).build();
        }
        decoder.setJwtValidator(validator(properties));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(JwtProperties properties) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // exp and nbf, with Spring's default 60 s of clock skew
        validators.add(new JwtTimestampValidator());
        // a token without expiry would be good forever; JwtTimestampValidator lets it pass
        validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, UserIds::isValid));
        // always set with an identity provider's keys (JwtProperties refuses to start without)
        if (properties.hasIssuer()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        if (properties.hasAudience()) {
            String audience = properties.audience();
            validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null)));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }
}
