package io.rushcoupon.worker.reconcile;

import io.rushcoupon.common.redis.CouponRedis;

/**
 * Coupons whose hash Redis lacks (it restarted empty), however old, are restored from PostgreSQL:
 * users, statuses, then the hash. The restorer creates the hash only if it is still missing, from
 * one snapshot taken after it read the pending set, so a restore racing requests in flight, another
 * restorer or an admin publication cannot set the stock too high (coupon-rebuild.lua).
 */
class MissingStateRestoration implements ReconcilerJob {

    private final CouponRedis couponRedis;
    private final CouponRebuilds rebuilds;

    MissingStateRestoration(CouponRedis couponRedis, CouponRebuilds rebuilds) {
        this.couponRedis = couponRedis;
        this.rebuilds = rebuilds;
    }

    @Override
    public void run(RoundCoupons round) {
        for (long couponId : round.missing()) {
            // an admin publication or the admin's reconcile may have restored it since the scan
            if (couponRedis.coupon(couponId).isEmpty()) {
                rebuilds.rebuild(couponId, "state missing from Redis");
            }
        }
    }
}
