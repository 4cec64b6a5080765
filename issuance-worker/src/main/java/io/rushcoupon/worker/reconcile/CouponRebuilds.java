package io.rushcoupon.worker.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.common.restore.RestoreResult;

/** The reconciler's rebuilds of a coupon in Redis, through the one restorer, counted and logged. */
class CouponRebuilds {

    private static final Logger log = LoggerFactory.getLogger(CouponRebuilds.class);

    private final CouponStateRestorer restorer;
    private final Counter rebuilds;

    CouponRebuilds(CouponStateRestorer restorer, MeterRegistry registry) {
        this.restorer = restorer;
        this.rebuilds = Counter.builder(MetricNames.RECONCILER_REBUILDS)
                .description("Coupons the reconciler rebuilt in Redis").register(registry);
    }

    /**
     * Rebuilds the coupon from PostgreSQL, with the users already issued and the ISSUED statuses
     * they poll. Rejections are not kept in PostgreSQL; their users poll 404 until they ask again,
     * which then answers DUPLICATE_REQUEST or admits them (see docs/reliability.md, F3).
     */
    void rebuild(long couponId, String why) {
        RestoreResult result = restorer.restore(couponId).orElse(null);
        if (result == null) {
            return;
        }
        rebuilds.increment();
        log.info("Coupon {} rebuilt in Redis ({}): {} users issued, {} remaining", couponId, why,
                result.issuedUsers(), result.redisRemaining());
        if (result.statusesRestored() > 0) {
            log.info("Coupon {}: restored the ISSUED status of {} requests in Redis", couponId,
                    result.statusesRestored());
        }
    }
}
