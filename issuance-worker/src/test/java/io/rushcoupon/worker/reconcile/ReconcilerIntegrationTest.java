package io.rushcoupon.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.worker.WorkerFixture;
import io.rushcoupon.worker.WorkerIntegrationTest;

@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.interval=200ms",
        "rushcoupon.worker.reconciler.pending-threshold=1s"})
class ReconcilerIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void reconcilerResendsPendingRequestThatNeverReachedKafka() {
        fixture.openCoupon(301, 10);
        double resendsBefore = counter(MetricNames.RECONCILER_RESENDS);
        // admitted in Redis, but the gateway crashed before producing to Kafka
        List<IssueRequested> requests = List.of(fixture.admit(301, 1), fixture.admit(301, 2));

        await().atMost(SETTLE).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED)));
        assertThat(fixture.rows(301)).isEqualTo(2);
        assertThat(fixture.remaining(301)).isEqualTo(8);
        assertThat(fixture.couponRedis().pendingCount(301)).isZero();
        assertThat(counter(MetricNames.RECONCILER_RESENDS) - resendsBefore).isGreaterThanOrEqualTo(2);
        assertThat(fixture.jdbc().sql("SELECT email FROM app_user WHERE id = 2").query(String.class).single())
                .as("the re-sent event carries the claims Redis kept").isEqualTo(WorkerFixture.email(2));
    }

    @Test
    void reconcilerRebuildsCouponStateAndIssuedStatusesMissingFromRedis() {
        fixture.openCoupon(302, 10);
        List<IssueRequested> requests = new ArrayList<>();
        for (long user = 1; user <= 3; user++) {
            requests.add(fixture.admit(302, user));
        }
        fixture.send(requests);
        await().atMost(SETTLE).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED)));
        double rebuildsBefore = counter(MetricNames.RECONCILER_REBUILDS);

        // Redis restarted empty for this coupon: its state and the statuses users poll are gone
        redisson.getBucket(CouponKeys.STATE_LOADED).delete();
        redisson.getKeys().delete(CouponKeys.of(302).stateKeys().toArray(String[]::new));
        requests.forEach(request -> redisson.getKeys().delete(
                CouponKeys.of(302).request(RequestId.tryParse(request.requestId()))));
        assertThat(fixture.request(requests.get(0))).isEmpty();

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.redisCoupon(302)).map(CouponView::remaining).hasValue(7));
        assertThat(fixture.remaining(302)).isEqualTo(7);
        Map<String, String> users = redisson.<String, String>getMap(CouponKeys.of(302).users(), StringCodec.INSTANCE)
                .readAllMap();
        assertThat(users).containsOnlyKeys("1", "2", "3");
        assertThat(users.get("2")).isEqualTo(requests.get(1).requestId());
        assertThat(counter(MetricNames.RECONCILER_REBUILDS) - rebuildsBefore).isGreaterThanOrEqualTo(1);
        // told to the team once, however many rounds see the coupon
        await().atMost(SETTLE).untilAsserted(() -> assertThat(fixture.notifications("STATE_REBUILT"))
                .hasSize(1).allSatisfy((key, payload) -> {
                    assertThat(key).startsWith("rebuilt:302:");
                    assertThat(payload).contains("\"issuedUsers\": 3").contains("\"databaseRemaining\": 7");
                }));
        await().atMost(SETTLE).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request)).map(RequestView::status).hasValue(IssueStatus.ISSUED)));
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.couponRedis().stateLoaded()).as("marked loaded after the round").isTrue());
        // the restored users hash keeps issued users out
        assertThat(fixture.couponRedis().precheck(RequestId.newFor(302), 2, null, null,
                WorkerFixture.REQUEST_TTL).outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
    }

    @Test
    void reconcilerFinalizesRequestCommittedButStillPendingInRedis() {
        fixture.openCoupon(303, 10);
        IssueRequested request = fixture.admit(303, 1);
        // the worker committed, then lost Redis before finalizing
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        fixture.recordIssuance(request, issuedAt);

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.request(request)).map(RequestView::status).hasValue(IssueStatus.ISSUED));
        assertThat(fixture.request(request).orElseThrow().issuedAt()).isEqualTo(issuedAt);
        assertThat(fixture.couponRedis().pendingCount(303)).isZero();
        assertThat(fixture.rows(303)).isEqualTo(1);
        assertThat(fixture.remaining(303)).isEqualTo(9);
    }

    @Test
    void reconcilerFinalizesRequestRejectedInPostgresInsteadOfSendingItAgain() {
        fixture.openCoupon(306, 10);
        double resendsBefore = counter(MetricNames.RECONCILER_RESENDS);
        IssueRequested request = fixture.admit(306, 1);
        // the worker rejected it, then lost Redis before finalizing
        fixture.recordRejection(request, ErrorCode.SOLD_OUT, Instant.now());

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.request(request)).map(RequestView::reason).hasValue(ErrorCode.SOLD_OUT.name()));
        assertThat(fixture.request(request)).map(RequestView::status).hasValue(IssueStatus.REJECTED);
        assertThat(fixture.couponRedis().pendingCount(306)).isZero();
        assertThat(fixture.rows(306)).isZero();
        assertThat(counter(MetricNames.RECONCILER_RESENDS) - resendsBefore).as("re-sent").isZero();
    }

    @Test
    void reconcilerFinishesPendingRequestsOfACouponWhoseWindowEndedHoursAgo() {
        fixture.openCoupon(307, 10);
        IssueRequested issued = fixture.admit(307, 1);
        IssueRequested rejected = fixture.admit(307, 2);
        IssueRequested unsent = fixture.admit(307, 3);
        fixture.recordIssuance(issued, Instant.now());
        fixture.recordRejection(rejected, ErrorCode.ISSUANCE_ENDED, Instant.now());
        // the window closed two hours ago; the worker's lag or outage outlasted it
        fixture.endedAgo(307, Duration.ofHours(2));

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED);
            assertThat(fixture.request(rejected)).map(RequestView::reason).hasValue(ErrorCode.ISSUANCE_ENDED.name());
            // re-sent and decided; whether ISSUED or REJECTED ISSUANCE_ENDED is the worker's rule
            assertThat(fixture.request(unsent)).map(RequestView::status)
                    .hasValueSatisfying(status -> assertThat(status).isNotEqualTo(IssueStatus.PENDING));
        });
        assertThat(fixture.couponRedis().pendingCount(307)).isZero();
        assertThat(fixture.issuances(307)).doesNotContainKey(rejected.requestId());
    }

    @Test
    void reconcilerRestoresRejectedStatusesAfterRedisLosesItsData() {
        fixture.openCoupon(308, 10);
        IssueRequested issued = fixture.admit(308, 1);
        fixture.send(issued);
        IssueRequested rejected = fixture.admit(308, 2);
        // as the worker decides a rejection: the row, then Redis
        fixture.recordRejection(rejected, ErrorCode.DUPLICATE_REQUEST, Instant.now());
        fixture.couponRedis().finalizeRequests(308, List.of(FinalStatus.rejected(
                RequestId.tryParse(rejected.requestId()), 2, ErrorCode.DUPLICATE_REQUEST)), 10, WorkerFixture.REQUEST_TTL);
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED));

        redisson.getKeys().flushdb();

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(fixture.request(rejected)).map(RequestView::status).hasValue(IssueStatus.REJECTED);
            assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED);
        });
        assertThat(fixture.request(rejected)).map(RequestView::reason).hasValue(ErrorCode.DUPLICATE_REQUEST.name());
        assertThat(redisson.getMap(CouponKeys.of(308).users(), StringCodec.INSTANCE).readAllMap()).containsOnlyKeys("1");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(fixture.couponRedis().stateLoaded()).isTrue());
    }

    @Test
    void reconcilerRestoresACouponWhoseWindowEndedHoursAgo() {
        fixture.openCoupon(309, 10);
        IssueRequested issued = fixture.admit(309, 1);
        fixture.send(issued);
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED));
        fixture.endedAgo(309, Duration.ofHours(2));

        redisson.getKeys().flushdb();

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.redisCoupon(309)).map(CouponView::remaining).hasValue(9));
        assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED);
        // a user who was served before the loss still is: refused as a duplicate, not "not found"
        assertThat(fixture.couponRedis().precheck(RequestId.newFor(309), 1, null, null,
                WorkerFixture.REQUEST_TTL).outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
    }

    @Test
    void reconcilerRepairsRedisStockThatDriftedWhileNothingIsPending() {
        fixture.openCoupon(304, 10);
        redisson.getMap(CouponKeys.of(304).coupon(), StringCodec.INSTANCE).put("remaining", "3");

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.redisCoupon(304)).map(CouponView::remaining).hasValue(10));
        await().atMost(SETTLE).untilAsserted(() -> assertThat(fixture.notifications("STOCK_REPAIRED"))
                .hasSize(1).allSatisfy((key, payload) -> {
                    assertThat(key).startsWith("repaired:304:");
                    assertThat(payload).contains("\"redisRemaining\": 3").contains("\"databaseRemaining\": 10");
                }));
    }

    @Test
    void reconcilerDropsPendingRequestWhoseHashExpired() {
        fixture.openCoupon(305, 10);
        IssueRequested request = fixture.admit(305, 1);
        RequestId requestId = RequestId.tryParse(request.requestId());
        redisson.getMap(CouponKeys.of(305).request(requestId), StringCodec.INSTANCE).delete();

        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.couponRedis().pendingCount(305)).isZero());
        assertThat(fixture.rows(305)).isZero();
        // with nothing pending, the unit the lost request held in Redis comes back
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(fixture.redisCoupon(305)).map(CouponView::remaining).hasValue(10));
    }
}
