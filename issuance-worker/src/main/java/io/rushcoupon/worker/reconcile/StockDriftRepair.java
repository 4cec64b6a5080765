package io.rushcoupon.worker.reconcile;

import java.util.Optional;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.restore.CouponRecords;

/**
 * Nothing pending but Redis's stock differs from PostgreSQL's (I5) → Redis takes PostgreSQL's. Only
 * while the coupon is quiet: Redis's stock is read first, then its pending set (empty), then
 * PostgreSQL's stock, and coupon-stock-repair.lua writes only if the coupon still has nothing
 * pending and the stock first read, so no request slipped through between the reads.
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
    public void run(RoundCoupons round) {
        for (CouponSnapshot coupon : round.live()) {
            repair(coupon.couponId());
        }
    }

    private void repair(long couponId) {
        Optional<CouponView> redis = couponRedis.coupon(couponId);
        // nothing pending after that read: every request admitted before it is decided, so
        // PostgreSQL's stock, read next, counts it
        if (redis.isEmpty() || couponRedis.pendingCount(couponId) != 0) {
            return;
        }
        Optional<CouponSnapshot> database = couponRecords.coupon(couponId);
        if (database.isEmpty() || redis.get().remaining() == database.get().remainingQuantity()) {
            return;
        }
        if (couponRedis.repairStock(couponId, redis.get().remaining(), database.get().remainingQuantity())) {
            rebuilds.repaired(couponId, redis.get().remaining(), database.get().remainingQuantity());
        }
    }
}
