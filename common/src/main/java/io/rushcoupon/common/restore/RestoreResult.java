package io.rushcoupon.common.restore;

/**
 * What {@link CouponStateRestorer#restore(long)} put back into Redis for one coupon.
 *
 * @param couponId          the coupon
 * @param issuedUsers       users remembered as issued (every issuance row of the coupon)
 * @param statusesRestored  ISSUED request statuses written because Redis had lost them (those
 *                          Redis still had are left as they are)
 * @param databaseRemaining PostgreSQL's remaining stock the rebuild started from
 * @param redisRemaining    Redis's remaining stock afterwards: PostgreSQL's less what is still pending
 */
public record RestoreResult(long couponId, long issuedUsers, long statusesRestored, int databaseRemaining,
        long redisRemaining) {
}
