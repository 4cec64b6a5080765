package io.rushcoupon.admin.usage;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.IssuanceStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One coupon a user holds (a user holds at most one unit of a coupon) and what became of it.
 *
 * @param redemptions          redemptions of it, standing or cancelled
 * @param cancelledRedemptions of those, the ones cancelled
 * @param totalDiscount        the discount of its standing redemption; 0.00 without one
 */
record UserCoupon(
        long couponId,
        long issuanceId,
        String code,
        String name,
        @Schema(description = "Derived at the time of the answer: AVAILABLE past expiresAt reads EXPIRED")
        IssuanceStatus status,
        Instant issuedAt,
        Instant expiresAt,
        @Nullable Instant redeemedAt,
        long redemptions,
        long cancelledRedemptions,
        BigDecimal totalDiscount) {
}
