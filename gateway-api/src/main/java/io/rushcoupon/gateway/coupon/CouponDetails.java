package io.rushcoupon.gateway.coupon;

import java.time.Instant;

import io.rushcoupon.common.coupon.CouponStatus;
import io.rushcoupon.common.redis.CouponView;

/** A coupon as users see it before and during a drop. */
record CouponDetails(long couponId, String name, CouponStatus status, int remaining, Instant issueStartsAt,
        Instant issueEndsAt) {

    static CouponDetails of(CouponView coupon, Instant now) {
        return new CouponDetails(coupon.couponId(), coupon.name(), coupon.statusAt(now), Math.max(0, coupon.remaining()),
                coupon.issueStartsAt(), coupon.issueEndsAt());
    }
}
