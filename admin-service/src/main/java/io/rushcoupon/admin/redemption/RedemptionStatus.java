package io.rushcoupon.admin.redemption;

/** What coupon_redemption.status holds. */
enum RedemptionStatus {
    REDEEMED,
    CANCELLED
}
