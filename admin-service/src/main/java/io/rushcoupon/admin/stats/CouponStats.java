package io.rushcoupon.admin.stats;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.admin.coupon.Coupon;
import io.rushcoupon.admin.issuance.IssuanceSummary;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.coupon.CouponStatus;
import io.rushcoupon.common.redis.CouponView;

/**
 * Where a coupon stands in PostgreSQL and in Redis, side by side.
 *
 * @param total              total units
 * @param issued             issuance rows in PostgreSQL
 * @param redeemed           issuance rows REDEEMED (redeemed now: a cancelled redemption no longer counts)
 * @param expired            issuance rows EXPIRED, marked or derived (AVAILABLE at or past expiresAt)
 * @param redemptionRate     redeemed / issued; 0 when none is issued
 * @param totalDiscount      the discount of the standing redemptions, two fraction digits
 * @param remaining          remaining units in PostgreSQL
 * @param redisRemaining     remaining units in Redis; null when Redis has no state for it (or is down)
 * @param pendingInRedis     requests admitted by the gateway and not yet final; null when Redis is down
 * @param redisAvailable     whether Redis answered
 * @param firstIssuedAt      earliest issuance, null without any
 * @param lastIssuedAt       latest issuance, null without any
 * @param issuedPerSecond    issuances per second between the first and the last; null with fewer than two
 * @param issuedRatio        issued / total
 * @param databaseConsistent PostgreSQL agrees with itself: remaining = total − issued (I1's bookkeeping)
 * @param drained            nothing pending in Redis; null when Redis is down
 * @param consistent         I5: drained, and redisRemaining = remaining = total − issued
 * @param measuredAt         when these figures were read
 */
public record CouponStats(
        long couponId,
        CouponStatus status,
        CouponState state,
        int total,
        long issued,
        long redeemed,
        long expired,
        double redemptionRate,
        BigDecimal totalDiscount,
        int remaining,
        @Nullable Integer redisRemaining,
        @Nullable Integer pendingInRedis,
        boolean redisAvailable,
        @Nullable Instant firstIssuedAt,
        @Nullable Instant lastIssuedAt,
        @Nullable Double issuedPerSecond,
        double issuedRatio,
        boolean databaseConsistent,
        @Nullable Boolean drained,
        boolean consistent,
        Instant measuredAt) {

    /** What Redis said about the coupon; {@code available == false} when it did not answer. */
    record RedisFigures(boolean available, @Nullable CouponView coupon, @Nullable Integer pending) {

        static RedisFigures unavailable() {
            return new RedisFigures(false, null, null);
        }
    }

    static CouponStats of(Coupon coupon, IssuanceSummary issuances, BigDecimal totalDiscount, RedisFigures redis,
            Instant now) {
        Integer redisRemaining = redis.coupon() == null ? null : redis.coupon().remaining();
        boolean databaseConsistent = coupon.remainingQuantity() == coupon.totalQuantity() - issuances.issued();
        Boolean drained = redis.pending() == null ? null : redis.pending() == 0;
        boolean consistent = databaseConsistent && Boolean.TRUE.equals(drained) && redisRemaining != null
                && redisRemaining == coupon.remainingQuantity();
        return new CouponStats(coupon.id(), coupon.statusAt(now), coupon.state(), coupon.totalQuantity(),
                issuances.issued(), issuances.redeemed(), issuances.expired(),
                issuances.issued() == 0 ? 0 : (double) issuances.redeemed() / issuances.issued(), totalDiscount,
                coupon.remainingQuantity(), redisRemaining, redis.pending(), redis.available(),
                issuances.firstIssuedAt(), issuances.lastIssuedAt(), perSecond(issuances),
                (double) issuances.issued() / coupon.totalQuantity(), databaseConsistent, drained, consistent, now);
    }

    private static @Nullable Double perSecond(IssuanceSummary issuances) {
        if (issuances.issued() < 2 || issuances.firstIssuedAt() == null || issuances.lastIssuedAt() == null) {
            return null;
        }
        long millis = Duration.between(issuances.firstIssuedAt(), issuances.lastIssuedAt()).toMillis();
        return millis <= 0 ? null : issuances.issued() * 1000.0 / millis;
    }
}
