package io.rushcoupon.gateway.support;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponSnapshot;

/** Coupons as admin-service would publish them, with ids no other test run used. */
public final class TestCoupons {

    private TestCoupons() {
    }

    /**
     * A fresh coupon id. Redis is flushed per test, the Kafka topic is not: unique ids keep each
     * test's events apart from earlier ones.
     */
    public static long newId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1L << 40);
    }

    /** Open now for an hour. */
    public static CouponSnapshot open(long couponId, int units) {
        Instant now = Instant.now();
        return new CouponSnapshot(couponId, "Drop " + couponId, CouponState.ACTIVE, now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(1)), units, units);
    }

    public static CouponSnapshot withState(CouponSnapshot coupon, CouponState state) {
        return new CouponSnapshot(coupon.couponId(), coupon.name(), state, coupon.issueStartsAt(),
                coupon.issueEndsAt(), coupon.totalQuantity(), coupon.remainingQuantity());
    }

    public static CouponSnapshot window(CouponSnapshot coupon, Instant startsAt, Instant endsAt) {
        return new CouponSnapshot(coupon.couponId(), coupon.name(), coupon.state(), startsAt, endsAt,
                coupon.totalQuantity(), coupon.remainingQuantity());
    }
}
