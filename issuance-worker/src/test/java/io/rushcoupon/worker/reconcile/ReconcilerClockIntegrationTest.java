package io.rushcoupon.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.worker.WorkerIntegrationTest;

/**
 * The worker's clock is an hour behind Redis's. Pending requests are scored in Redis's time (the
 * gateway's pre-check), so the reconciler and the gauges must measure their age in it too.
 */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.interval=200ms",
        "rushcoupon.worker.reconciler.pending-threshold=60s",
        "rushcoupon.worker.pending-gauge.refresh=200ms"})
// imported, not found: @RealServerTest's @ContextConfiguration hides nested configurations
@Import(ReconcilerClockIntegrationTest.SkewedClock.class)
class ReconcilerClockIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SKEW = Duration.ofHours(1);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TestConfiguration
    static class SkewedClock {

        @Bean
        @Primary
        Clock workerClockBehindRedis() {
            return Clock.offset(Clock.systemUTC(), SKEW.negated());
        }
    }

    @Autowired
    Clock workerClock;

    @BeforeEach
    void workerClockIsBehind() {
        assertThat(workerClock.instant()).isBefore(Instant.now().minus(SKEW.dividedBy(2)));
    }

    @Test
    void resendsARequestPendingLongerThanTheThresholdInRedisTime() {
        fixture.openCoupon(701, 10);
        IssueRequested request = fixture.admit(701, 1);
        scoreAgo(701, request, Duration.ofSeconds(90));

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.request(request)).map(RequestView::status).hasValue(IssueStatus.ISSUED));
    }

    @Test
    void gaugesTheAgeOfAPendingRequestInRedisTime() {
        fixture.openCoupon(702, 10);
        scoreAgo(702, fixture.admit(702, 1), Duration.ofSeconds(30));

        await().atMost(SETTLE).untilAsserted(() -> {
            // bounded by the skew: an age measured in the worker's clock would be 0 (or an hour off)
            assertThat(gauge(MetricNames.PENDING_OLDEST_AGE)).isBetween(29.0, SKEW.toSeconds() / 2.0);
            assertThat(gauge(MetricNames.PENDING_REQUESTS)).isEqualTo(1.0);
        });
    }

    /**
     * As if the gateway had admitted it {@code ago} ago by Redis's clock, which is this JVM's: the
     * test's Redis runs on this machine.
     */
    private void scoreAgo(long couponId, IssueRequested request, Duration ago) {
        redisson.getScoredSortedSet(CouponKeys.of(couponId).pending(), StringCodec.INSTANCE)
                .add(Instant.now().minus(ago).toEpochMilli(), request.requestId());
    }
}
