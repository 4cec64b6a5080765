package io.rushcoupon.common.redis;

/**
 * A restorer's copy of a missing coupon's pending set ({@link CouponRedis#copyPendingIfMissing}),
 * read page by page while the set itself may shrink.
 *
 * @param couponId the coupon
 * @param key      the copy's Redis key ({@link CouponKeys#pendingCopy(String)})
 * @param size     how many pending requests it holds
 */
public record PendingCopy(long couponId, String key, long size) {
}
