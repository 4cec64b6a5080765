package io.rushcoupon.worker.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.restore.CouponRecords;
import io.rushcoupon.worker.reconcile.CouponScan.CouponInRedis;

/**
 * One reconciler round, in the leader only: every {@link ReconcilerJob} over the coupons of
 * {@link RoundCoupons}, then Redis's state marked loaded, but only if Redis kept the round's token,
 * i.e. did not restart empty meanwhile (see docs/reliability.md, finding 3). A failure waits for the
 * next round.
 */
class ReconcilerRound {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerRound.class);

    private final ReconcilerLeadership leadership;
    private final CouponRedis couponRedis;
    private final CouponRecords couponRecords;
    private final CouponScan scan;
    private final ReconcilerProperties properties;
    private final Clock clock;
    private final List<ReconcilerJob> jobs;

    ReconcilerRound(ReconcilerLeadership leadership, CouponRedis couponRedis, CouponRecords couponRecords,
            CouponScan scan, ReconcilerProperties properties, Clock clock, List<ReconcilerJob> jobs) {
        this.leadership = leadership;
        this.couponRedis = couponRedis;
        this.couponRecords = couponRecords;
        this.scan = scan;
        this.properties = properties;
        this.clock = clock;
        this.jobs = List.copyOf(jobs);
    }

    synchronized void run() {
        leadership.runIfLeader(this::runAsLeader);
    }

    private void runAsLeader() {
        try {
            String round = couponRedis.startStateRound();
            // the worker's clock is good enough to pick live coupons by an hour's grace; pending
            // requests are aged in Redis's (StalePendingRequests)
            Instant now = clock.instant();
            List<CouponSnapshot> live = couponRecords.liveCoupons(now.minus(properties.endedGrace()));
            List<CouponInRedis> inRedis = scan.scan();
            RoundCoupons coupons = new RoundCoupons(live,
                    inRedis.stream().filter(CouponInRedis::missing).map(CouponInRedis::couponId).toList(),
                    inRedis.stream().filter(coupon -> coupon.pending() > 0).map(CouponInRedis::couponId).toList());
            for (ReconcilerJob job : jobs) {
                job.run(coupons);
            }
            // every coupon is in Redis now, unless it restarted empty meanwhile: only then may
            // unknown ids be answered 404 again
            if (!couponRedis.markStateLoaded(round, clock.instant())) {
                log.info("Redis lost its state during the reconciler round; the next round restores it");
            }
        } catch (RuntimeException e) {
            log.warn("Reconciler round failed: {}", e.toString());
        }
    }
}
