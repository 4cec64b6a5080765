package io.rushcoupon.common.redis;

import java.time.Instant;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.coupon.CouponStatus;

/** A coupon as Redis has it: what the gateway shows and admits against. */
public record CouponView(
        long couponId,
        String name,
        CouponState state,
        Instant issueStartsAt,
        Instant issueEndsAt,
        int totalQuantity,
        int remaining) {

    public CouponStatus statusAt(Instant now) {
        return CouponStatus.derive(state, issueStartsAt, issueEndsAt, remaining, now);
    }
}
