package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.util.List;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * Coupons whose state Redis lost (it restarted empty) are rebuilt from PostgreSQL. Only missing
 * ones: a rebuild of a coupon that is taking requests reads PostgreSQL and the pending set apart,
 * so it can set the stock too high (seen as 1,003 admissions for 1,000 units, the worker's fence
 * rejecting the rest). An admin publish that lands first after a loss therefore still leaves a
 * coupon without its issued users until the rebuild is made atomic (docs/reliability.md).
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
        for (CouponSnapshot coupon : liveCoupons) {
            if (couponRedis.coupon(coupon.couponId()).isEmpty()) {
                rebuilds.rebuild(coupon.couponId(), "state missing from Redis");
            }
        }
    }
}
