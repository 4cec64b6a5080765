package io.rushcoupon.worker.issuance;

import java.util.List;

import io.rushcoupon.common.redis.FinalStatus;

/**
 * The committed result of one coupon's requests in one batch.
 *
 * @param remaining the coupon's stock in PostgreSQL after the commit (0 when the coupon is unknown)
 * @param issued    rows inserted by this commit
 */
record CouponOutcome(long couponId, List<IssueDecision> decisions, int remaining, int issued) {

    List<FinalStatus> statuses() {
        return decisions.stream().map(IssueDecision::status).toList();
    }
}
