package io.rushcoupon.common.coupon;

/** How a coupon discounts: a fixed amount, or a percentage (at most 100) optionally capped. */
public enum CouponType {
    FIXED_AMOUNT,
    PERCENTAGE
}
