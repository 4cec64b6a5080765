package io.rushcoupon.admin.coupon;

import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponRemoval;
import io.rushcoupon.common.redis.TotalAdjustment;
import io.rushcoupon.common.restore.CouponStateRestorer;

/**
 * The Redis half of the admin changes Redis must agree with before anyone admits against them: a
 * change of total moves Redis's stock ({@code coupon-adjust-total.lua}), a delete removes the
 * coupon's state ({@code coupon-remove.lua}). Each is the transaction's last step, after its flush:
 * the version check has passed and PostgreSQL holds the row locked, so the worker commits nothing
 * for the coupon until we do. Each is undone when the transaction does not commit. So Redis is
 * ahead of PostgreSQL only for the commit's round trip; what a crash in it leaves, and what repairs
 * it: admin-service/README.md.
 */
@Component
class RedisBeforeCommit {

    private static final Logger log = LoggerFactory.getLogger(RedisBeforeCommit.class);

    private final CouponRedis couponRedis;
    private final CouponStateRestorer restorer;

    RedisBeforeCommit(CouponRedis couponRedis, CouponStateRestorer restorer) {
        this.couponRedis = couponRedis;
        this.restorer = restorer;
    }

    /**
     * Moves Redis's stock and total by the change of total the coupon has just been flushed with;
     * 409 when the new total is below issued + pending. Redis without the coupon is left alone: the
     * publication after the commit restores it from PostgreSQL ({@link CouponPublication}).
     */
    void moveStock(Coupon coupon, int totalBefore) {
        long couponId = coupon.id();
        int newTotal = coupon.totalQuantity();
        int delta = newTotal - totalBefore;
        if (delta == 0) {
            return;
        }
        TotalAdjustment adjustment = redis(couponId, "requests pending for it cannot be counted",
                () -> couponRedis.adjustTotal(couponId, delta, newTotal, coupon.remainingQuantity()));
        switch (adjustment.outcome()) {
            case REFUSED -> throw new CouponException(ErrorCode.QUANTITY_BELOW_ISSUED,
                    "Coupon " + couponId + " has " + coupon.issuedQuantity() + " units issued and "
                            + adjustment.pending() + " requests still being issued; the total cannot be " + newTotal + ".",
                    Map.of("issued", coupon.issuedQuantity(), "pending", adjustment.pending(),
                            "requestedTotal", newTotal));
            case ADJUSTED -> unlessCommitted(couponId, "the move of its stock by " + delta,
                    () -> couponRedis.undoTotalAdjustment(couponId, delta, newTotal, totalBefore));
            case MISSING -> log.debug("Coupon {} is not in Redis; it is restored after the commit", couponId);
        }
    }

    /**
     * Removes the coupon's Redis state, refusing while a request is pending (409
     * COUPON_HAS_ISSUANCES) or while Redis still admits for it (409 COUPON_ACTIVE); from then on
     * nothing more is admitted. Restored from PostgreSQL if the delete does not commit.
     */
    void removeState(long couponId) {
        CouponRemoval removal = redis(couponId, "requests in flight for it cannot be ruled out",
                () -> couponRedis.remove(couponId));
        switch (removal.outcome()) {
            case PENDING -> throw new CouponException(ErrorCode.COUPON_HAS_ISSUANCES,
                    "Coupon " + couponId + " has " + removal.pending() + " requests still being issued.");
            case ADMITTING -> throw new CouponException(ErrorCode.COUPON_ACTIVE,
                    "Redis still admits requests for coupon " + couponId + ": its pause or close has not reached "
                            + "Redis yet. Pause or close it again, then delete it.");
            case REMOVED -> unlessCommitted(couponId, "the removal of its state", () -> restorer.restore(couponId));
        }
    }

    private static <T> T redis(long couponId, String consequence, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // the reply may be lost after the script ran; the worker's stock drift repair covers that
            log.warn("Redis failed for coupon {}: {}", couponId, e.toString());
            throw new CouponException(ErrorCode.UNAVAILABLE,
                    "Redis is unreachable, so " + consequence + " (coupon " + couponId + "); try again later.");
        }
    }

    /** Runs {@code undo} once the transaction has ended without committing (rolled back or unknown). */
    private static void unlessCommitted(long couponId, String what, Runnable undo) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    return;
                }
                try {
                    undo.run();
                    log.info("Coupon {}: the change did not commit, so {} was undone in Redis", couponId, what);
                } catch (RuntimeException e) {
                    log.warn("Coupon {}: the change did not commit, and {} could not be undone in Redis: {}. "
                            + "The worker's reconciler repairs it (admin-service/README.md).", couponId, what,
                            e.toString());
                }
            }
        });
    }
}
