package io.rushcoupon.worker.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.common.restore.RestoreResult;
import io.rushcoupon.worker.notification.Notifications;

/**
 * The reconciler's rebuilds of a coupon in Redis — restores through the one restorer and stock
 * repairs — counted, logged and told to the team.
 */
class CouponRebuilds {

    private static final Logger log = LoggerFactory.getLogger(CouponRebuilds.class);

    private final CouponStateRestorer restorer;
    private final Counter rebuilds;
    private final Notifications notifications;

    CouponRebuilds(CouponStateRestorer restorer, MeterRegistry registry, Notifications notifications) {
        this.restorer = restorer;
        this.notifications = notifications;
        this.rebuilds = Counter.builder(MetricNames.RECONCILER_REBUILDS)
                .description("Coupons the reconciler rebuilt in Redis").register(registry);
    }

    /** Restores the coupon from PostgreSQL: users, ISSUED and REJECTED statuses, the hash if missing. */
    void rebuild(long couponId, String why) {
        RestoreResult result = restorer.restore(couponId).orElse(null);
        if (result == null) {
            return;
        }
        if (result.statusesRestored() > 0) {
            log.info("Coupon {}: restored the final status of {} requests in Redis", couponId,
                    result.statusesRestored());
        }
        if (result.created()) {
            rebuilds.increment();
            log.info("Coupon {} rebuilt in Redis ({}): {} users issued, {} remaining", couponId, why,
                    result.issuedUsers(), result.redisRemaining());
            notifications.stateRebuilt(couponId, result.issuedUsers(), result.redisRemaining(),
                    result.databaseRemaining());
        }
    }

    /** Counts a stock repair of {@link StockDriftRepair}: Redis had {@code redisRemaining}, now PostgreSQL's. */
    void repaired(long couponId, long redisRemaining, int databaseRemaining) {
        rebuilds.increment();
        log.info("Coupon {}: stock in Redis repaired (Redis remaining {} differed from PostgreSQL's {})", couponId,
                redisRemaining, databaseRemaining);
        notifications.stockRepaired(couponId, redisRemaining, databaseRemaining);
    }
}
