package io.rushcoupon.admin.coupon;

import io.rushcoupon.common.redis.CouponSnapshot;

/** A coupon was created in a transaction; Redis learns it, full stock, once that transaction commits. */
record CouponCreated(CouponSnapshot snapshot) {
}
