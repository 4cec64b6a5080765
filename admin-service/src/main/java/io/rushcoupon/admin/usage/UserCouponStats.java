package io.rushcoupon.admin.usage;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A user's coupon figures, the same the wallet's {@code GET /api/v1/me/coupon-stats} answers the
 * user, plus one entry per coupon the user holds. Statuses are derived at the time of the answer:
 * a coupon still AVAILABLE at or past its expiresAt counts as EXPIRED.
 *
 * @param issued               every coupon the user was issued (available + redeemed + expired)
 * @param redeemed             coupons redeemed now; a cancelled redemption no longer counts
 * @param cancelledRedemptions redemptions the user cancelled
 * @param totalDiscount        the discount of the user's standing redemptions, two fraction digits
 */
record UserCouponStats(
        long userId,
        long issued,
        long available,
        long redeemed,
        long expired,
        long cancelledRedemptions,
        BigDecimal totalDiscount,
        @ArraySchema(arraySchema = @Schema(description = "The user's coupons, newest issue first; at most the "
                + UserCouponUsage.MAX_COUPONS + " newest (issued counts them all)"))
        List<UserCoupon> coupons) {
}
