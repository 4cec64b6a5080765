package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A redemption made: amounts with two fraction digits.
 *
 * @param payable the order amount less the discount
 */
record RedemptionResponse(long redemptionId, long issuanceId, String orderId, BigDecimal orderAmount,
        BigDecimal discount, BigDecimal payable, Instant redeemedAt) {
}
