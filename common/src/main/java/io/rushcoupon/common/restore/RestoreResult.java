package io.rushcoupon.common.restore;

/**
 * What {@link CouponStateRestorer#restore(long)} put back into Redis for one coupon.
 *
 * @param couponId          the coupon
 * @param issuedUsers       users remembered as issued (every issuance row of the coupon)
 * @param statusesRestored  ISSUED and REJECTED request statuses written because Redis had lost them
 *                          (those Redis still had, and those whose TTL had run out, are not)
 * @param databaseRemaining PostgreSQL's remaining stock the rebuild started from (or read beside
 *                          Redis's when Redis had the coupon)
 * @param redisRemaining    Redis's remaining stock afterwards: PostgreSQL's less what is still pending
 *                          when this restore created the coupon hash, the hash's own otherwise
 * @param created           whether this restore created the coupon hash; false when Redis had it
 *                          (then its stock is live and was left as it is)
 */
public record RestoreResult(long couponId, long issuedUsers, long statusesRestored, int databaseRemaining,
        long redisRemaining, boolean created) {
}
