package io.rushcoupon.wallet.stats;

import java.math.BigDecimal;

/**
 * A user's coupon figures at one instant. {@code available + redeemed + expired = issued}.
 *
 * @param issued               every coupon issued to the user
 * @param available            usable now
 * @param redeemed             redeemed by a redemption that stands
 * @param expired              past its expiresAt unredeemed, marked by the expiry job or not yet
 * @param cancelledRedemptions redemptions the user cancelled (the coupon was usable again)
 * @param totalDiscount        the discount of the redemptions that stand, with 2 fraction digits
 */
public record UserCouponStats(long issued, long available, long redeemed, long expired, long cancelledRedemptions,
        BigDecimal totalDiscount) {
}
