package io.rushcoupon.worker.reconcile;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.worker.reconcile.CouponScan.CouponInRedis;

/**
 * {@value MetricNames#PENDING_OLDEST_AGE} and {@value MetricNames#PENDING_REQUESTS}: how long the
 * oldest admitted request has waited for its final status, and how many wait, over every coupon
 * with requests pending, however long ago its window ended ({@link CouponScan}). I3 promises every
 * 202 a final state in bounded time; this is what an alert watches to learn that the promise is
 * slipping. Ages are measured in Redis's clock, which scored the requests.
 *
 * <p>Read from the coupons' pending sets on a fixed delay, in pipelined round trips, rather than at
 * scrape time, so a slow Redis never stalls a scrape. Every worker reports, not only the
 * reconciler's leader: the reading survives a leader change and a disabled reconciler, and
 * {@code max()} across instances is the system's value. When Redis or PostgreSQL cannot be read,
 * the last reading stays. Scheduled by {@link ReconcilerConfiguration} every
 * {@link PendingGaugeProperties#refresh()}.
 */
@Component
class PendingRequestsGauge {

    private static final Logger log = LoggerFactory.getLogger(PendingRequestsGauge.class);

    private final CouponRedis couponRedis;
    private final CouponScan scan;
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    PendingRequestsGauge(CouponRedis couponRedis, CouponScan scan, MeterRegistry registry) {
        this.couponRedis = couponRedis;
        this.scan = scan;
        Gauge.builder(MetricNames.PENDING_OLDEST_AGE, oldestAgeMillis, age -> age.get() / 1000.0)
                .description("Age of the oldest issue request still pending in Redis")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(MetricNames.PENDING_REQUESTS, pending, AtomicLong::get)
                .description("Issue requests admitted and still pending in Redis")
                .register(registry);
    }

    /** Reads the pending sets again. */
    void refresh() {
        try {
            long oldestAcceptedAt = Long.MAX_VALUE;
            long oldestCoupon = 0;
            long count = 0;
            for (CouponInRedis coupon : scan.scan()) {
                Long acceptedAt = coupon.oldestAcceptedAt();
                if (acceptedAt != null && acceptedAt < oldestAcceptedAt) {
                    oldestAcceptedAt = acceptedAt;
                    oldestCoupon = coupon.couponId();
                }
                count += coupon.pending();
            }
            // aged in the clock of the node that scored it
            oldestAgeMillis.set(oldestCoupon == 0 ? 0
                    : Math.max(0, couponRedis.time(oldestCoupon).toEpochMilli() - oldestAcceptedAt));
            pending.set(count);
        } catch (RuntimeException e) {
            log.warn("Could not refresh {}: {}", MetricNames.PENDING_OLDEST_AGE, e.toString());
        }
    }
}
