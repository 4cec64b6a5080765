package io.rushcoupon.admin.coupon;

/** A coupon was deleted in a transaction; Redis forgets it once that transaction commits. */
record CouponDeleted(long couponId) {
}
