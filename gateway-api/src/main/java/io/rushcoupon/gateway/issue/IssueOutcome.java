package io.rushcoupon.gateway.issue;

import java.util.Locale;

import io.rushcoupon.common.redis.PrecheckOutcome;

/** How an issue request ended at the gateway: the {@code outcome} tag of the request counter. */
enum IssueOutcome {
    ACCEPTED,
    DUPLICATE,
    SOLD_OUT,
    NOT_FOUND,
    NOT_OPEN,
    PAUSED,
    BUSY,
    UNAVAILABLE,
    /** Over the user's rate limit (rushcoupon.gateway.rate-limit). */
    RATE_LIMITED,
    /** Shed before any work by {@link io.rushcoupon.gateway.shedding.IssueLoadShedder}, which counts it itself. */
    SHED;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static IssueOutcome of(PrecheckOutcome outcome) {
        return switch (outcome) {
            case ACCEPTED -> ACCEPTED;
            case COUPON_NOT_FOUND -> NOT_FOUND;
            case DUPLICATE_REQUEST -> DUPLICATE;
            case ISSUANCE_NOT_STARTED, ISSUANCE_ENDED -> NOT_OPEN;
            case COUPON_PAUSED -> PAUSED;
            case SOLD_OUT -> SOLD_OUT;
            case RATE_LIMITED -> RATE_LIMITED;
            case LOCKED -> BUSY;
        };
    }
}
