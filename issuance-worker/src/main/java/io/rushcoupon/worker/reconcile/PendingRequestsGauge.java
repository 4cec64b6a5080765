package io.rushcoupon.worker.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSetAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.restore.CouponRecords;

/**
 * {@value MetricNames#PENDING_OLDEST_AGE} and {@value MetricNames#PENDING_REQUESTS}: how long the
 * oldest admitted request has waited for its final status, and how many wait, over the coupons the
 * reconciler watches. I3 promises every 202 a final state in bounded time; this is what an alert
 * watches to learn that the promise is slipping.
 *
 * <p>Read from the coupons' pending sets (scored by acceptance time) on a fixed delay, in one
 * pipelined round trip, rather than at scrape time, so a slow Redis never stalls a scrape. Every
 * worker reports, not only the reconciler's leader: the reading survives a leader change and a
 * disabled reconciler, and {@code max()} across instances is the system's value. When Redis or
 * PostgreSQL cannot be read, the last reading stays. Scheduled by {@link ReconcilerConfiguration}
 * every {@link PendingGaugeProperties#refresh()}.
 */
@Component
class PendingRequestsGauge {

    private static final Logger log = LoggerFactory.getLogger(PendingRequestsGauge.class);

    private final RedissonClient redisson;
    private final CouponRecords couponRecords;
    private final ReconcilerProperties reconciler;
    private final Clock clock;
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    PendingRequestsGauge(RedissonClient redisson, CouponRecords couponRecords, ReconcilerProperties reconciler,
            Clock clock, MeterRegistry registry) {
        this.redisson = redisson;
        this.couponRecords = couponRecords;
        this.reconciler = reconciler;
        this.clock = clock;
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
            Instant now = clock.instant();
            List<CouponSnapshot> coupons = couponRecords.liveCoupons(now.minus(reconciler.endedGrace()));
            if (coupons.isEmpty()) {
                record(0, 0);
                return;
            }
            RBatch batch = redisson.createBatch();
            List<RFuture<Double>> oldest = new ArrayList<>(coupons.size());
            List<RFuture<Integer>> sizes = new ArrayList<>(coupons.size());
            for (CouponSnapshot coupon : coupons) {
                RScoredSortedSetAsync<String> set = batch.getScoredSortedSet(
                        CouponKeys.of(coupon.couponId()).pending(), StringCodec.INSTANCE);
                oldest.add(set.firstScoreAsync());
                sizes.add(set.sizeAsync());
            }
            batch.execute();
            long oldestAcceptedAt = Long.MAX_VALUE;
            long count = 0;
            for (int i = 0; i < coupons.size(); i++) {
                Double acceptedAt = oldest.get(i).toCompletableFuture().join();
                if (acceptedAt != null) {
                    oldestAcceptedAt = Math.min(oldestAcceptedAt, acceptedAt.longValue());
                }
                count += sizes.get(i).toCompletableFuture().join();
            }
            record(oldestAcceptedAt == Long.MAX_VALUE ? 0 : Math.max(0, now.toEpochMilli() - oldestAcceptedAt), count);
        } catch (RuntimeException e) {
            log.warn("Could not refresh {}: {}", MetricNames.PENDING_OLDEST_AGE, e.toString());
        }
    }

    private void record(long ageMillis, long count) {
        oldestAgeMillis.set(ageMillis);
        pending.set(count);
    }
}
