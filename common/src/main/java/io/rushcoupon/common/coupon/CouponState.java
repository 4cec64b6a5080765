package io.rushcoupon.common.coupon;

/**
 * What an admin decided about a coupon. The status users see ({@link CouponStatus}) is derived
 * from this, the issue window and the stock.
 */
public enum CouponState {
    ACTIVE,
    PAUSED,
    CLOSED
}
