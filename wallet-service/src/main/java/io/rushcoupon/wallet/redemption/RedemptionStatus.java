package io.rushcoupon.wallet.redemption;

/** What coupon_redemption.status holds: a redemption stands until it is cancelled. */
public enum RedemptionStatus {
    REDEEMED,
    CANCELLED
}
