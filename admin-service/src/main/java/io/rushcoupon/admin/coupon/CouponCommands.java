package io.rushcoupon.admin.coupon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rushcoupon.admin.config.AdminProperties;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * Every change of a coupon. Each runs in its own transaction and flushes inside it, so the
 * version check and the constraints answer here, where they can be turned into the right
 * problem. What Redis must agree with before the commit (a change of total, a delete) is the
 * transaction's last step ({@link RedisBeforeCommit}); the settings are published after the commit
 * ({@link CouponPublication}).
 */
@Service
class CouponCommands {

    private static final Logger log = LoggerFactory.getLogger(CouponCommands.class);

    private final Coupons coupons;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final RedisBeforeCommit redis;
    private final Clock clock;
    private final AdminProperties.Conflicts conflicts;
    private final CouponNotifications notifications;

    CouponCommands(Coupons coupons, PlatformTransactionManager transactionManager, ApplicationEventPublisher events,
            RedisBeforeCommit redis, Clock clock, AdminProperties properties, CouponNotifications notifications) {
        this.coupons = coupons;
        this.notifications = notifications;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
        this.redis = redis;
        this.clock = clock;
        this.conflicts = properties.conflicts();
    }

    CouponResponse create(CreateCouponRequest request) {
        try {
            return transactions.execute(status -> {
                Coupon coupon = coupons.saveAndFlush(Coupon.create(request, clock.instant()));
                events.publishEvent(new CouponCreated(coupon.snapshot()));
                return CouponResponse.of(coupon, clock.instant());
            });
        } catch (DataIntegrityViolationException e) {
            // the unique key decides, not a look-up before the insert: two creates may race
            if (ConstraintViolations.isUnique(e, ConstraintViolations.COUPON_CODE_UNIQUE)) {
                throw new CouponException(ErrorCode.COUPON_CODE_TAKEN,
                        "Coupon code " + request.code() + " is already in use.");
            }
            throw e;
        }
    }

    /**
     * A partial update guarded by {@code If-Match}. The version is checked twice: against the
     * row as read, and by JPA's {@code UPDATE … WHERE version = ?}, which also catches the worker
     * taking stock between our read and our write. A change of total then moves Redis's stock by
     * the same delta, or answers 409 when the new total is below issued + pending.
     */
    CouponResponse update(long couponId, @Nullable String ifMatch, UpdateCouponRequest update) {
        ETags.requirePresent(ifMatch);
        try {
            return transactions.execute(status -> {
                Coupon coupon = coupons.require(couponId);
                ETags.requireMatch(ifMatch, coupon.version());
                int totalBefore = coupon.totalQuantity();
                coupon.update(update, clock.instant());
                coupons.flush();
                redis.moveStock(coupon, totalBefore);
                events.publishEvent(new CouponChanged(coupon.snapshot()));
                return CouponResponse.of(coupon, clock.instant());
            });
        } catch (OptimisticLockingFailureException e) {
            throw new CouponException(ErrorCode.VERSION_MISMATCH,
                    "Coupon " + couponId + " changed while it was being updated; read it again and retry.");
        }
    }

    CouponResponse pause(long couponId, AdminSubject admin) {
        return changeState(couponId, Coupon::pause, (coupon, at) -> notifications.pauseChanged(coupon, admin, at));
    }

    CouponResponse resume(long couponId, AdminSubject admin) {
        return changeState(couponId, Coupon::resume, (coupon, at) -> notifications.pauseChanged(coupon, admin, at));
    }

    CouponResponse close(long couponId, AdminSubject admin) {
        return changeState(couponId, Coupon::close, (coupon, at) -> notifications.closed(coupon, admin, at));
    }

    /**
     * Deletes a coupon nobody holds and nobody can be admitted for any more: paused, closed or
     * ended (409 COUPON_ACTIVE otherwise), nothing pending in Redis and no issuance row (409
     * COUPON_HAS_ISSUANCES). Its rejections go with it. Redis's state is removed last, atomically
     * with its own checks, so no request is admitted between the checks and the delete.
     */
    void delete(long couponId) {
        try {
            retryingConflicts(couponId, () -> transactions.execute(status -> {
                Coupon coupon = coupons.require(couponId);
                coupon.requireStopped(clock.instant());
                coupons.deleteRejections(couponId);
                coupons.delete(coupon);
                // the foreign key of coupon_issuance answers here, before Redis is touched
                coupons.flush();
                redis.removeState(couponId);
                events.publishEvent(new CouponDeleted(couponId));
                return null;
            }));
        } catch (DataIntegrityViolationException e) {
            if (ConstraintViolations.isForeignKey(e)) {
                throw new CouponException(ErrorCode.COUPON_HAS_ISSUANCES,
                        "Coupon " + couponId + " has been issued to users; close it instead.");
            }
            throw e;
        }
    }

    /**
     * Pause, resume and close carry no {@code If-Match}: the admin means "now", whatever the
     * stock. The worker bumps the version with every batch it issues, so a conflict is retried
     * on a fresh read, a bounded number of times. A change that changed the state is told to the team
     * ({@code notify}, after the flush: in the same transaction, with the version it wrote); a
     * repeated one (pausing a paused coupon) is not.
     */
    private CouponResponse changeState(long couponId, BiConsumer<Coupon, Instant> change,
            BiConsumer<Coupon, Instant> notify) {
        return retryingConflicts(couponId, () -> transactions.execute(status -> {
            Coupon coupon = coupons.require(couponId);
            CouponState before = coupon.state();
            Instant now = clock.instant();
            change.accept(coupon, now);
            coupons.flush();
            if (coupon.state() != before) {
                notify.accept(coupon, now);
            }
            events.publishEvent(new CouponChanged(coupon.snapshot()));
            return CouponResponse.of(coupon, clock.instant());
        }));
    }

    private <T> T retryingConflicts(long couponId, Supplier<T> attempt) {
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (OptimisticLockingFailureException e) {
                if (tried >= conflicts.attempts()) {
                    log.warn("Coupon {} kept changing under {} attempts; giving up", couponId, tried);
                    throw new CouponException(ErrorCode.UNAVAILABLE,
                            "Coupon " + couponId + " is changing too often right now; try again shortly.");
                }
                backOff(conflicts.backoff().multipliedBy(tried));
            }
        }
    }

    private static void backOff(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CouponException(ErrorCode.UNAVAILABLE, "Interrupted while retrying; try again.");
        }
    }
}
