package io.rushcoupon.worker.reconcile;

import java.util.List;

import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * What one reconciler round works on.
 *
 * @param live        coupons scheduled, open or ended less than the grace ago (settings and stock)
 * @param missing     ids of coupons, however old, whose hash Redis lacks, newest first
 * @param withPending ids of coupons, however old, with requests pending in Redis, newest first
 */
record RoundCoupons(List<CouponSnapshot> live, List<Long> missing, List<Long> withPending) {
}
