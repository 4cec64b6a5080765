package io.rushcoupon.admin.coupon;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who made a change, as notifications name them: the token's {@code sub}, with its
 * {@code preferred_username} where the token has one ({@code 42 (alice)}).
 */
record AdminSubject(String name) {

    static AdminSubject of(Jwt token) {
        String username = token.getClaimAsString("preferred_username");
        return new AdminSubject(username == null || username.isBlank()
                ? token.getSubject()
                : token.getSubject() + " (" + username + ")");
    }
}
