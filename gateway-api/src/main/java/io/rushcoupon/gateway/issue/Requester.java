package io.rushcoupon.gateway.issue;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.web.security.UserIds;

/**
 * Who asks, from the bearer token: the user id ({@code sub}) and the claims the worker needs for
 * the user row.
 */
record Requester(long userId, @Nullable String email, @Nullable String username) {

    /**
     * Control characters (C0 with NUL, DEL, C1) and unpaired surrogates, the same characters
     * admin-service refuses in coupon names: PostgreSQL cannot store a NUL or an unpaired surrogate
     * (the worker's user row would fail on every retry), and the others are no part of a name or an
     * address. One character class per code point, so no backtracking.
     */
    private static final Pattern NOT_TEXT = Pattern.compile("[\\p{Cc}\\p{Cs}]");

    static Requester of(Jwt jwt) {
        return new Requester(UserIds.of(jwt),
                claim(jwt, "email", IssueRequested.MAX_EMAIL_LENGTH),
                claim(jwt, "preferred_username", IssueRequested.MAX_USERNAME_LENGTH));
    }

    /**
     * Both claims are optional and only describe the user, so a claim is cleaned rather than the
     * request refused: control characters are removed. One that is then blank or over-long is
     * left out rather than cut: the worker would dead-letter the whole event for it, and a
     * truncated e-mail address is a wrong one.
     */
    private static @Nullable String claim(Jwt jwt, String name, int maxLength) {
        String value = jwt.getClaimAsString(name);
        if (value == null) {
            return null;
        }
        String text = NOT_TEXT.matcher(value).replaceAll("");
        if (text.isBlank() || text.length() > maxLength) {
            return null;
        }
        return text;
    }
}
