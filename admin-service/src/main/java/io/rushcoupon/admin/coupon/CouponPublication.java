package io.rushcoupon.admin.coupon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.restore.CouponStateRestorer;

/**
 * Tells Redis, which the gateway admits against, about coupon changes, only after PostgreSQL
 * committed them: a rolled-back change is never published. Settings only: the stock moved before
 * the commit ({@link RedisBeforeCommit}), and Redis's own stock already counts what is pending.
 *
 * <p>A coupon just created is written whole. A changed coupon Redis lacks (it lost its data) is not
 * written from the snapshot, which knows neither its issued users nor their statuses: the restorer
 * rebuilds it from PostgreSQL, the same one the worker's reconciler and the reconcile endpoint use.
 *
 * <p>Redis down at that moment: PostgreSQL stays the record and the change stands; we log a
 * warning instead of failing the request, because the change is durable and cannot be undone after
 * commit anyway. Redis catches up through {@code POST /api/v1/admin/coupons/{id}/reconcile} or the
 * worker's reconciler (it republishes differing settings and restores missing coupons). Until then
 * the gateway admits against the previous settings; PostgreSQL's CHECK on the stock still fences
 * over-issue (I1).
 *
 * <p>Two admin changes of one coupon committing at the same moment may publish in the other
 * order, leaving Redis one change behind; publishing is idempotent, so the next change or a
 * reconcile repairs it.
 */
@Component
class CouponPublication {

    private static final Logger log = LoggerFactory.getLogger(CouponPublication.class);

    private final CouponRedis couponRedis;
    private final CouponStateRestorer restorer;

    /** The restorer's bean: reconcile/ReconcileConfiguration. */
    CouponPublication(CouponRedis couponRedis, CouponStateRestorer restorer) {
        this.couponRedis = couponRedis;
        this.restorer = restorer;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(CouponCreated event) {
        long couponId = event.snapshot().couponId();
        try {
            couponRedis.publish(event.snapshot());
        } catch (RuntimeException e) {
            warnNotPublished(couponId, e);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(CouponChanged event) {
        long couponId = event.snapshot().couponId();
        try {
            if (!couponRedis.publishSettings(event.snapshot())) {
                restorer.restore(couponId).ifPresent(restored -> log.info(
                        "Coupon {} was missing from Redis; restored from PostgreSQL: {} issued users, {} statuses",
                        couponId, restored.issuedUsers(), restored.statusesRestored()));
            }
        } catch (RuntimeException e) {
            warnNotPublished(couponId, e);
        }
    }

    /**
     * The delete removed the coupon from Redis before its commit; again now, in case the worker's
     * reconciler restored it from the row that was still there.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void remove(CouponDeleted event) {
        try {
            couponRedis.remove(event.couponId());
        } catch (RuntimeException e) {
            log.warn("Coupon {} deleted; Redis could not be swept again: {}. If {} came back, delete them.",
                    event.couponId(), e.toString(), CouponKeys.of(event.couponId()).stateKeys());
        }
    }

    private static void warnNotPublished(long couponId, RuntimeException e) {
        log.warn("Coupon {} changed in PostgreSQL but Redis could not be told: {}. The change stands; "
                + "Redis keeps the previous settings until POST /api/v1/admin/coupons/{}/reconcile "
                + "(or the worker's reconciler) brings it up to date.", couponId, e.toString(), couponId);
    }
}
