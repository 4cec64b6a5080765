package io.rushcoupon.common.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.issue.RequestId;

/**
 * A request the gateway accepted in Redis and hands to the issuance worker.
 *
 * @param requestId   the public request id ({@link RequestId} form, carries the coupon id)
 * @param couponId    the coupon asked for; also the record key
 * @param userId      the token's subject
 * @param email       the token's {@code email} claim, if any, for the user row
 * @param username    the token's {@code preferred_username} claim, if any
 * @param requestedAt when Redis admitted the request, by Redis's clock (its pending score)
 */
public record IssueRequested(
        String requestId,
        long couponId,
        long userId,
        @Nullable String email,
        @Nullable String username,
        Instant requestedAt) {

    public static final int MAX_EMAIL_LENGTH = 320;
    public static final int MAX_USERNAME_LENGTH = 100;
    /**
     * The times an acceptance can plausibly carry. Outside them epoch milliseconds (Redis) or the
     * worker's acceptance-to-commit timer overflow; the fuzz test found both.
     */
    public static final Instant EARLIEST_REQUESTED_AT = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST_REQUESTED_AT = Instant.parse("9999-12-31T23:59:59Z");

    /** What is wrong with this event, empty when it can be issued; the worker dead-letters the rest. */
    public List<String> violations() {
        List<String> violations = new ArrayList<>();
        if (couponId <= 0) {
            violations.add("couponId must be positive");
        }
        if (userId <= 0) {
            violations.add("userId must be positive");
        }
        if (requestedAt == null) {
            violations.add("requestedAt is required");
        } else if (requestedAt.isBefore(EARLIEST_REQUESTED_AT) || requestedAt.isAfter(LATEST_REQUESTED_AT)) {
            violations.add("requestedAt is out of range");
        }
        RequestId parsed = RequestId.tryParse(requestId);
        if (parsed == null) {
            violations.add("requestId is malformed");
        } else if (parsed.couponId() != couponId) {
            violations.add("requestId belongs to another coupon");
        }
        if (email != null && email.length() > MAX_EMAIL_LENGTH) {
            violations.add("email is longer than " + MAX_EMAIL_LENGTH);
        }
        if (email != null && hasControlCharacter(email)) {
            violations.add("email contains a control character");
        }
        if (username != null && username.length() > MAX_USERNAME_LENGTH) {
            violations.add("username is longer than " + MAX_USERNAME_LENGTH);
        }
        if (username != null && hasControlCharacter(username)) {
            violations.add("username contains a control character");
        }
        return violations;
    }

    /**
     * Whether a claim holds a control character (U+0000–U+001F, U+007F–U+009F). PostgreSQL refuses
     * NUL in text (SQLState 22021), and no e-mail address or user name needs any of them.
     */
    public static boolean hasControlCharacter(String value) {
        return value.codePoints().anyMatch(Character::isISOControl);
    }
}
