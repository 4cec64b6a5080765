package io.rushcoupon.web.security;

import org.springframework.security.oauth2.jwt.Jwt;

/** The user id is the token's {@code sub}: a positive integer as a string, and nothing else. */
public final class UserIds {

    private UserIds() {
    }

    static boolean isValid(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > 18) {
            return false;
        }
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) < '0' || subject.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(subject) > 0;
    }

    /** The authenticated user's id; the decoder has already refused tokens whose {@code sub} is not one. */
    public static long of(Jwt jwt) {
        return Long.parseLong(jwt.getSubject());
    }
}
