package io.rushcoupon.worker.reconcile;

/** One repair the leader's {@link ReconcilerRound} runs. */
interface ReconcilerJob {

    /** A failure propagates and ends the round, which is then not counted as complete. */
    void run(RoundCoupons round);
}
