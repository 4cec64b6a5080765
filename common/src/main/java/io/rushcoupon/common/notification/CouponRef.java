package io.rushcoupon.common.notification;

/** Which coupon a notification is about, as the team knows it. */
public record CouponRef(long couponId, String code, String name) {
}
