package io.rushcoupon.wallet.redemption;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * A cancelled redemption.
 *
 * @param couponStatus the coupon's status now: AVAILABLE again, EXPIRED when its validity has passed
 *                     (or REDEEMED when it was redeemed anew since)
 */
record CancellationResponse(long redemptionId, RedemptionStatus status, IssuanceStatus couponStatus) {
}
