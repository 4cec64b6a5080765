package io.rushcoupon.common.redis;

import java.time.Instant;

import io.rushcoupon.common.coupon.CouponState;

/** A coupon's settings and stock as PostgreSQL has them, for publishing to Redis. */
public record CouponSnapshot(
        long couponId,
        String name,
        CouponState state,
        Instant issueStartsAt,
        Instant issueEndsAt,
        int totalQuantity,
        int remainingQuantity) {
}
