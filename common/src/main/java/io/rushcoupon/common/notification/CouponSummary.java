package io.rushcoupon.common.notification;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A coupon's figures when its window ended or it was closed, from PostgreSQL.
 *
 * @param total            units the coupon had
 * @param issued           issuance rows
 * @param rejectedByWorker the worker's recorded rejections (issue_rejection) by reason. The gateway's
 *                         own refusals (sold out in Redis, duplicates, not open) are not counted per
 *                         coupon anywhere durable; its metric rushcoupon.issue.requests has them
 * @param redemptions      standing redemptions (coupon_redemption REDEEMED); null where unknown
 */
public record CouponSummary(int total, long issued, Map<String, Long> rejectedByWorker, @Nullable Long redemptions) {

    public CouponSummary {
        rejectedByWorker = Map.copyOf(rejectedByWorker);
    }
}
