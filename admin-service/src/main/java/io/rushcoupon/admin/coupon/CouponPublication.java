package io.rushcoupon.admin.coupon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;

/**
 * Tells Redis, which the gateway admits against, about coupon changes, only after PostgreSQL
 * committed them: a rolled-back change is never published.
 *
 * <p>Redis down at that moment: PostgreSQL stays the record and the change stands; we log a
 * warning instead of failing the request, because the change is durable and cannot be undone after
 * commit anyway. Redis catches up through {@code POST /api/v1/admin/coupons/{id}/reconcile}, and
 * when Redis lost the coupon altogether (a restart) the worker's reconciler rebuilds it as well.
 * Until then the gateway admits against the previous settings; PostgreSQL's CHECK on the stock
 * still fences over-issue (I1).
 *
 * <p>Two admin changes of one coupon committing at the same moment may publish in the other
 * order, leaving Redis one change behind; publishing is idempotent, so the next change or a
 * reconcile repairs it.
 */
@Component
class CouponPublication {

    private static final Logger log = LoggerFactory.getLogger(CouponPublication.class);

    private final CouponRedis couponRedis;

    CouponPublication(CouponRedis couponRedis) {
        this.couponRedis = couponRedis;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(CouponChanged event) {
        long couponId = event.snapshot().couponId();
        try {
            long remaining = couponRedis.publish(event.snapshot());
            log.debug("Published coupon {} to Redis, remaining there {}", couponId, remaining);
        } catch (RuntimeException e) {
            log.warn("Coupon {} changed in PostgreSQL but Redis could not be told: {}. The change stands; "
                    + "Redis keeps the previous settings until POST /api/v1/admin/coupons/{}/reconcile "
                    + "(or the worker's reconciler, if Redis lost the coupon) brings it up to date.",
                    couponId, e.toString(), couponId);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void remove(CouponDeleted event) {
        try {
            couponRedis.remove(event.couponId());
        } catch (RuntimeException e) {
            // the gateway may still admit requests for it; the worker rejects them, finding no row
            log.warn("Coupon {} deleted in PostgreSQL but its Redis state could not be removed: {}. "
                    + "Delete {} once Redis is back.", event.couponId(), e.toString(),
                    CouponKeys.of(event.couponId()).stateKeys());
        }
    }
}
