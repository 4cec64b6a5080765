package io.rushcoupon.admin.reconcile;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.rushcoupon.admin.config.ReadSnapshot;
import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.admin.issuance.Issuances;
import io.rushcoupon.admin.stats.CouponStatistics;
import io.rushcoupon.admin.stats.CouponStats;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * Rebuilds a coupon's Redis state from PostgreSQL, the record: settings, stock (less what is
 * still pending in Redis) and the users already issued, so none of them is admitted twice.
 * Meant for after a Redis loss or a failed publication; with requests in flight it is still
 * safe (the database fences I1 and I2), it may only hold back a few units until they settle.
 */
@Service
class CouponReconciler {

    private static final Logger log = LoggerFactory.getLogger(CouponReconciler.class);

    private final Coupons coupons;
    private final Issuances issuances;
    private final CouponRedis redis;
    private final CouponStatistics statistics;
    private final ReadSnapshot snapshot;

    CouponReconciler(Coupons coupons, Issuances issuances, CouponRedis redis, CouponStatistics statistics,
            ReadSnapshot snapshot) {
        this.coupons = coupons;
        this.issuances = issuances;
        this.redis = redis;
        this.statistics = statistics;
        this.snapshot = snapshot;
    }

    CouponStats reconcile(long couponId) {
        record Source(CouponSnapshot coupon, Map<Long, String> issuedUsers) {
        }
        Source source = snapshot.read(() ->
                new Source(coupons.require(couponId).snapshot(), issuances.issuedUsers(couponId)));
        try {
            long remaining = redis.rebuild(source.coupon(), source.issuedUsers());
            log.info("Rebuilt coupon {} in Redis: {} issued users, remaining {}", couponId,
                    source.issuedUsers().size(), remaining);
        } catch (RuntimeException e) {
            throw new CouponException(ErrorCode.UNAVAILABLE,
                    "Redis is unreachable; coupon " + couponId + " could not be rebuilt. Try again later.");
        }
        return statistics.of(couponId);
    }
}
