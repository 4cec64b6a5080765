package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A redemption as {@code GET /api/v1/me/redemptions/{redemptionId}} answers it (the 201's
 * {@code Location}): amounts with two fraction digits.
 *
 * @param status      REDEEMED while it stands, CANCELLED once cancelled
 * @param cancelledAt when it was cancelled; null while it stands
 */
record RedemptionView(long redemptionId, long issuanceId, long couponId, String orderId, BigDecimal orderAmount,
        BigDecimal discount, BigDecimal payable, RedemptionStatus status, Instant redeemedAt,
        @Nullable Instant cancelledAt) {
}
