package io.rushcoupon.worker.issuance;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.redis.DatabaseStock;
import io.rushcoupon.common.redis.FinalStatus;

/**
 * The committed result of one coupon's requests in one batch.
 *
 * @param stock  the coupon's stock in PostgreSQL after the commit, with the total read in the
 *               same transaction; {@code null} when the coupon is unknown
 * @param issued rows inserted by this commit
 */
record CouponOutcome(long couponId, List<IssueDecision> decisions, @Nullable DatabaseStock stock, int issued) {

    List<FinalStatus> statuses() {
        return decisions.stream().map(IssueDecision::status).toList();
    }

    /** Outcomes of consecutive transactions of one coupon as one: the last stock read stands. */
    static CouponOutcome merge(long couponId, List<CouponOutcome> outcomes) {
        List<IssueDecision> decisions = new ArrayList<>();
        DatabaseStock stock = null;
        int issued = 0;
        for (CouponOutcome outcome : outcomes) {
            decisions.addAll(outcome.decisions());
            stock = outcome.stock() == null ? stock : outcome.stock();
            issued += outcome.issued();
        }
        return new CouponOutcome(couponId, decisions, stock, issued);
    }
}
