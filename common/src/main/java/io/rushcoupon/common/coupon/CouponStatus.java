package io.rushcoupon.common.coupon;

import java.time.Instant;

/**
 * The status a coupon shows, derived from its admin state, issue window and remaining stock.
 * The gateway's pre-check script (issue-precheck.lua) applies the same rules in Redis.
 */
public enum CouponStatus {
    SCHEDULED,
    OPEN,
    PAUSED,
    CLOSED,
    SOLD_OUT;

    public static CouponStatus derive(CouponState state, Instant issueStartsAt, Instant issueEndsAt,
            long remaining, Instant now) {
        if (state == CouponState.CLOSED || !now.isBefore(issueEndsAt)) {
            return CLOSED;
        }
        if (remaining <= 0) {
            return SOLD_OUT;
        }
        if (state == CouponState.PAUSED) {
            return PAUSED;
        }
        return now.isBefore(issueStartsAt) ? SCHEDULED : OPEN;
    }
}
