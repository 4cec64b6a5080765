package io.rushcoupon.admin.redemption;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;

/** One redemption of a coupon against an order, standing or cancelled. */
record Redemption(
        long redemptionId,
        long issuanceId,
        long userId,
        String orderId,
        BigDecimal orderAmount,
        BigDecimal discount,
        @Schema(description = "orderAmount − discount")
        BigDecimal payable,
        @Schema(description = "REDEEMED while it stands; CANCELLED once the user cancelled it")
        RedemptionStatus status,
        Instant redeemedAt,
        @Nullable Instant cancelledAt) {
}
