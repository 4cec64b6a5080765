package io.rushcoupon.common.redis;

/**
 * What {@link CouponRedis#rebuild} did.
 *
 * @param created   whether it created the coupon hash; false when the hash was there already
 *                  (another restorer or an admin publication came first) and was left as it is
 * @param remaining Redis's remaining stock afterwards
 */
public record RebuildOutcome(boolean created, long remaining) {
}
