package io.rushcoupon.common.redis;

/**
 * What {@link CouponRedis#adjustTotal} did with a change of a coupon's total.
 *
 * @param outcome   what happened
 * @param remaining Redis's remaining stock afterwards; -1 when Redis has no such coupon
 * @param pending   requests of the coupon still pending in Redis
 */
public record TotalAdjustment(Outcome outcome, long remaining, long pending) {

    public enum Outcome {
        /** Stock and total moved together. */
        ADJUSTED,
        /** The new total is below issued + pending; nothing was written. */
        REFUSED,
        /** Redis has no hash for the coupon (it lost its data); nothing was written. */
        MISSING
    }
}
