package io.rushcoupon.common.redis;

/**
 * What {@link CouponRedis#remove(long)} did.
 *
 * @param outcome what happened
 * @param pending requests of the coupon still pending in Redis (those that refused the removal)
 */
public record CouponRemoval(Outcome outcome, long pending) {

    public enum Outcome {
        /** The coupon's state keys are gone (or were not there). */
        REMOVED,
        /** Requests are still pending; nothing was removed. */
        PENDING,
        /** Redis still admits requests for the coupon (ACTIVE, window not over); nothing was removed. */
        ADMITTING
    }

    public boolean removed() {
        return outcome == Outcome.REMOVED;
    }
}
