package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.util.List;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * Coupons whose state Redis lost (it restarted empty) are rebuilt from PostgreSQL. While Redis's
 * state is not marked loaded, every live coupon is rebuilt, not only those missing: an admin
 * change published first after the loss recreates a coupon's hash without its issued users.
 */
class MissingStateRestoration implements ReconcilerJob {

    private final CouponRedis couponRedis;
    private final CouponRebuilds rebuilds;

    MissingStateRestoration(CouponRedis couponRedis, CouponRebuilds rebuilds) {
        this.couponRedis = couponRedis;
        this.rebuilds = rebuilds;
    }

    @Override
    public void run(List<CouponSnapshot> liveCoupons, Instant now) {
        boolean notLoaded = !couponRedis.stateLoaded();
        for (CouponSnapshot coupon : liveCoupons) {
            if (couponRedis.coupon(coupon.couponId()).isEmpty()) {
                rebuilds.rebuild(coupon.couponId(), "state missing from Redis");
            } else if (notLoaded) {
                rebuilds.rebuild(coupon.couponId(), "Redis state not marked loaded");
            }
        }
    }
}
