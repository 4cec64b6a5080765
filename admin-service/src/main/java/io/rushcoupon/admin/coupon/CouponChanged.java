package io.rushcoupon.admin.coupon;

import io.rushcoupon.common.redis.CouponSnapshot;

/** A coupon's settings changed in a transaction; Redis learns it once that transaction commits. */
record CouponChanged(CouponSnapshot snapshot) {
}
