package io.rushcoupon.common.coupon;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A user's coupon figures at one instant, as the wallet answers them to the user
 * ({@code GET /api/v1/me/coupon-stats}) and the admin for any user: one statement, {@link #SQL},
 * so they come from one snapshot and {@code available + redeemed + expired = issued} holds while
 * redemptions commit.
 *
 * @param issued               every coupon issued to the user
 * @param available            usable now
 * @param redeemed             redeemed by a redemption that stands
 * @param expired              past its expiresAt unredeemed, marked by the expiry job or not yet
 * @param cancelledRedemptions redemptions the user cancelled (the coupon was usable again)
 * @param totalDiscount        the discount of the redemptions that stand, with 2 fraction digits
 */
public record UserCouponTotals(long issued, long available, long redeemed, long expired, long cancelledRedemptions,
        BigDecimal totalDiscount) {

    /**
     * Parameters {@code :userId} and {@code :now}; one row with the columns issued, available,
     * redeemed, expired, cancelled, total_discount. Follows coupon_issuance_user_idx and
     * coupon_redemption_user_idx.
     */
    public static final String SQL = """
            WITH issued AS (
                SELECT count(*) AS issued,
                       count(*) FILTER (WHERE %s) AS available,
                       count(*) FILTER (WHERE status = 'REDEEMED') AS redeemed,
                       count(*) FILTER (WHERE %s) AS expired
                FROM coupon_issuance WHERE user_id = :userId),
            redemptions AS (
                SELECT count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                       coalesce(sum(discount) FILTER (WHERE status = 'REDEEMED'), 0) AS total_discount
                FROM coupon_redemption WHERE user_id = :userId)
            SELECT * FROM issued CROSS JOIN redemptions""".formatted(IssuanceStatus.AVAILABLE_SQL,
            IssuanceStatus.EXPIRED_SQL);

    public UserCouponTotals {
        // sum() of no rows is the literal 0, without the column's scale
        totalDiscount = totalDiscount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
