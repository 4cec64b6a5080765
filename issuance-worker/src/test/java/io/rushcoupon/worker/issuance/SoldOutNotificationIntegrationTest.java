package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.notification.NotificationPayload.SoldOut;
import io.rushcoupon.worker.WorkerIntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sold-out notification commits with the transaction that takes the last units, and only with
 * it: transactions racing for a coupon's last units (as two workers during a rebalance overlap, or
 * an admin's change) record it once.
 */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.enabled=false",
        "rushcoupon.discord.dispatcher.enabled=false",
        // four deciders per coupon conflict often; none may give up
        "rushcoupon.worker.version-retry.attempts=50",
        "rushcoupon.worker.version-retry.max-backoff=20ms"})
class SoldOutNotificationIntegrationTest extends WorkerIntegrationTest {

    private static final int DECIDERS = 4;

    @Autowired
    CouponIssuer issuer;

    @Autowired
    JsonMapper json;

    @Test
    void racingTransactionsForTheLastUnitsRecordTheSoldOutNotificationOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(DECIDERS);
        try {
            for (long couponId = 41; couponId <= 48; couponId++) {
                fixture.openCoupon(couponId, 3);
                race(pool, couponId);

                assertThat(fixture.remaining(couponId)).isZero();
                assertThat(fixture.notifications("SOLD_OUT")).containsKey("soldout:" + couponId + ":3");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.notifications("SOLD_OUT")).hasSize(8);
        SoldOut soldOut = json.readValue(fixture.notifications("SOLD_OUT").get("soldout:41:3"), SoldOut.class);
        assertThat(soldOut.total()).isEqualTo(3);
        // decided by the sell-out's commit: its own and those before it (at least the 3 issued), not
        // the SOLD_OUT rejections the racers committed after it
        assertThat(soldOut.decisionsByWorker()).isBetween(3L, 2L * DECIDERS);
        assertThat(soldOut.peakIssuedPerSecond()).isBetween(1L, 3L);
        assertThat(soldOut.soldOutAt()).isAfterOrEqualTo(soldOut.issueStartsAt());
    }

    @Test
    void recordsNothingWhileUnitsAreLeftOrWhenTheCouponWasSoldOutBefore() {
        fixture.openCoupon(49, 3);
        issuer.issue(49, List.of(request(49, 1), request(49, 2)));
        assertThat(fixture.notifications("SOLD_OUT")).isEmpty();

        issuer.issue(49, List.of(request(49, 3)));
        issuer.issue(49, List.of(request(49, 4)));

        assertThat(fixture.notifications("SOLD_OUT")).containsOnlyKeys("soldout:49:3");
    }

    /** DECIDERS transactions, two requests each, start together on a coupon with fewer units. */
    private void race(ExecutorService pool, long couponId) throws Exception {
        CyclicBarrier start = new CyclicBarrier(DECIDERS);
        List<Future<CouponOutcome>> outcomes = new ArrayList<>();
        for (int decider = 0; decider < DECIDERS; decider++) {
            List<IssueRequested> requests = List.of(request(couponId, 10L * decider + 1),
                    request(couponId, 10L * decider + 2));
            outcomes.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return issuer.issue(couponId, requests);
            }));
        }
        int issued = 0;
        for (Future<CouponOutcome> outcome : outcomes) {
            issued += outcome.get(30, TimeUnit.SECONDS).issued();
        }
        assertThat(issued).isEqualTo(3);
    }

    private static IssueRequested request(long couponId, long userId) {
        return new IssueRequested(RequestId.newFor(couponId).toString(), couponId, userId, null, null, Instant.now());
    }
}
