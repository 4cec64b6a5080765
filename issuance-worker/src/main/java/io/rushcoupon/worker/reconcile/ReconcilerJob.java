package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.util.List;

import io.rushcoupon.common.redis.CouponSnapshot;

/** One repair the leader's {@link ReconcilerRound} runs over the live coupons. */
interface ReconcilerJob {

    /** A failure propagates and ends the round, which is then not counted as complete. */
    void run(List<CouponSnapshot> liveCoupons, Instant now);
}
