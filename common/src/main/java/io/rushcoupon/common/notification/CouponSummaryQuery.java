package io.rushcoupon.common.notification;

/**
 * The SQL of a {@link CouponSummary}, for every writer of a summary (the worker's window-ended
 * announcement, the admin's close), so both tell the same figures from the same statement.
 */
public final class CouponSummaryQuery {

    /**
     * Named parameter {@code :couponId}; one row (none for an unknown coupon), one column: the
     * {@link CouponSummary} as JSON text, its fields named as the record's components. Run it in the
     * writer's transaction, so the figures are the ones its change sees.
     */
    public static final String SUMMARY_JSON = """
            SELECT CAST(jsonb_build_object(
                       'total', c.total_quantity,
                       'issued', (SELECT count(*) FROM coupon_issuance WHERE coupon_id = c.id),
                       'rejectedByWorker', COALESCE(
                           (SELECT jsonb_object_agg(r.reason, r.n)
                            FROM (SELECT reason, count(*) AS n FROM issue_rejection
                                  WHERE coupon_id = c.id GROUP BY reason) r), '{}'::jsonb),
                       'redemptions', (SELECT count(*) FROM coupon_redemption
                                       WHERE coupon_id = c.id AND status = 'REDEEMED')) AS text)
            FROM coupon c WHERE c.id = :couponId
            """;

    private CouponSummaryQuery() {
    }
}
