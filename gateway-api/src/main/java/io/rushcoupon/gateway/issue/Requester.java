package io.rushcoupon.gateway.issue;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.web.security.UserIds;

/**
 * Who asks, from the bearer token: the user id ({@code sub}) and the claims the worker needs for
 * the user row.
 */
record Requester(long userId, @Nullable String email, @Nullable String username) {

    static Requester of(Jwt jwt) {
        return new Requester(UserIds.of(jwt),
                claim(jwt, "email", IssueRequested.MAX_EMAIL_LENGTH),
                claim(jwt, "preferred_username", IssueRequested.MAX_USERNAME_LENGTH));
    }

    /**
     * An over-long claim is left out rather than cut: the worker would dead-letter the whole event
     * for it, and a truncated e-mail address is a wrong one. Both claims are optional.
     */
    private static @Nullable String claim(Jwt jwt, String name, int maxLength) {
        String value = jwt.getClaimAsString(name);
        if (value == null || value.isBlank() || value.length() > maxLength) {
            return null;
        }
        return value;
    }
}
