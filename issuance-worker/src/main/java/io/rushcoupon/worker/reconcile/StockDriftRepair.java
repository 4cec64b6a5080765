package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.restore.CouponRecords;

/**
 * Nothing pending but Redis's stock differs from PostgreSQL's (I5) → the coupon is rebuilt. Only
 * while the coupon is quiet: nothing pending, and the same stock read before and after
 * PostgreSQL's, so no request slipped through between the reads.
 */
class StockDriftRepair implements ReconcilerJob {

    private final CouponRedis couponRedis;
    private final CouponRecords couponRecords;
    private final CouponRebuilds rebuilds;

    StockDriftRepair(CouponRedis couponRedis, CouponRecords couponRecords, CouponRebuilds rebuilds) {
        this.couponRedis = couponRedis;
        this.couponRecords = couponRecords;
        this.rebuilds = rebuilds;
    }

    @Override
    public void run(List<CouponSnapshot> liveCoupons, Instant now) {
        for (CouponSnapshot coupon : liveCoupons) {
            repair(coupon.couponId());
        }
    }

    private void repair(long couponId) {
        if (couponRedis.pendingCount(couponId) != 0) {
            return;
        }
        Optional<CouponView> before = couponRedis.coupon(couponId);
        Optional<CouponSnapshot> database = couponRecords.coupon(couponId);
        if (before.isEmpty() || database.isEmpty() || before.get().remaining() == database.get().remainingQuantity()) {
            return;
        }
        Optional<CouponView> after = couponRedis.coupon(couponId);
        if (couponRedis.pendingCount(couponId) != 0 || after.isEmpty()
                || after.get().remaining() != before.get().remaining()) {
            return;
        }
        rebuilds.rebuild(couponId, "Redis remaining " + before.get().remaining() + " differs from PostgreSQL's "
                + database.get().remainingQuantity());
    }
}
