package io.rushcoupon.worker.reconcile;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.restore.CouponRecords;

/** A coupon whose settings in Redis differ from PostgreSQL's (a lost admin publication) is published again. */
class SettingsRepublication implements ReconcilerJob {

    private static final Logger log = LoggerFactory.getLogger(SettingsRepublication.class);

    private final CouponRedis couponRedis;
    private final CouponRecords couponRecords;

    SettingsRepublication(CouponRedis couponRedis, CouponRecords couponRecords) {
        this.couponRedis = couponRedis;
        this.couponRecords = couponRecords;
    }

    @Override
    public void run(RoundCoupons round) {
        for (CouponSnapshot coupon : round.live()) {
            Optional<CouponView> view = couponRedis.coupon(coupon.couponId());
            if (view.isPresent() && !sameSettings(coupon, view.get())) {
                publish(coupon.couponId());
            }
        }
    }

    /** Read again: the admin may have changed the coupon since the round listed it. */
    private void publish(long couponId) {
        Optional<CouponSnapshot> fresh = couponRecords.coupon(couponId);
        Optional<CouponView> view = couponRedis.coupon(couponId);
        if (fresh.isPresent() && view.isPresent() && !sameSettings(fresh.get(), view.get())) {
            // settings only: a coupon Redis lost meanwhile is the missing-state restoration's, with its users
            couponRedis.publishSettings(fresh.get());
            log.info("Coupon {}: settings in Redis differed from PostgreSQL, published again", couponId);
        }
    }

    private static boolean sameSettings(CouponSnapshot database, CouponView redis) {
        return database.state() == redis.state()
                && database.name().equals(redis.name())
                && database.issueStartsAt().toEpochMilli() == redis.issueStartsAt().toEpochMilli()
                && database.issueEndsAt().toEpochMilli() == redis.issueEndsAt().toEpochMilli()
                && database.totalQuantity() == redis.totalQuantity();
    }
}
