package io.rushcoupon.admin.reconcile;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.admin.stats.CouponStatistics;
import io.rushcoupon.admin.stats.CouponStats;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.common.restore.RestoreResult;

/**
 * Restores a coupon's Redis state from PostgreSQL with the restorer the worker's reconciler uses
 * too, so either restores the same: settings, stock (less what is still pending in Redis), the
 * users already issued and their statuses. Always run, even when Redis still has the coupon's hash:
 * its users or statuses may be what went missing. Then publishes the settings, which a failed
 * publication may have left behind in a hash Redis kept (never the stock). Meant for after a Redis
 * loss or a failed publication.
 */
@Service
class CouponReconciler {

    private static final Logger log = LoggerFactory.getLogger(CouponReconciler.class);

    private final CouponStateRestorer restorer;
    private final CouponRedis couponRedis;
    private final Coupons coupons;
    private final CouponStatistics statistics;

    CouponReconciler(CouponStateRestorer restorer, CouponRedis couponRedis, Coupons coupons,
            CouponStatistics statistics) {
        this.restorer = restorer;
        this.couponRedis = couponRedis;
        this.coupons = coupons;
        this.statistics = statistics;
    }

    CouponStats reconcile(long couponId) {
        Optional<RestoreResult> restored;
        try {
            restored = restorer.restore(couponId);
            if (restored.isPresent()) {
                coupons.findById(couponId).ifPresent(coupon -> couponRedis.publishSettings(coupon.snapshot()));
            }
        } catch (RuntimeException e) {
            log.warn("Coupon {} could not be restored in Redis: {}", couponId, e.toString());
            throw new CouponException(ErrorCode.UNAVAILABLE, "Redis or PostgreSQL is unreachable; coupon "
                    + couponId + " could not be rebuilt. Try again later.");
        }
        RestoreResult result = restored.orElseThrow(() -> Coupons.notFound(couponId));
        log.info("Rebuilt coupon {} in Redis: {} issued users, {} statuses restored, remaining {}", couponId,
                result.issuedUsers(), result.statusesRestored(), result.redisRemaining());
        return statistics.of(couponId);
    }
}
