package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;

/**
 * The settings of a coupon that rules span several fields of; checked by {@link CouponRules} on
 * a new coupon and on the result of a PATCH alike. Fields are nullable because a request may
 * lack them; bean validation reports those.
 */
record CouponTerms(
        @Nullable CouponType type,
        @Nullable BigDecimal discountValue,
        @Nullable Instant issueStartsAt,
        @Nullable Instant issueEndsAt,
        @Nullable Integer validDays,
        @Nullable Instant validUntil) {
}
