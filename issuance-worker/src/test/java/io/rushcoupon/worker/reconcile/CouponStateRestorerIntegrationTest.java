package io.rushcoupon.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.common.restore.CouponRecords;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.common.restore.RestoreResult;
import io.rushcoupon.worker.WorkerFixture;
import io.rushcoupon.worker.WorkerIntegrationTest;

/**
 * The restorer on its own (no reconciler racing it): a coupon far larger than one page, rejections,
 * old coupons, and the interleavings of a rebuild with a worker's commit (through
 * {@link RecordingDataSource}).
 */
@SpringBootTest(properties = "rushcoupon.worker.reconciler.enabled=false")
class CouponStateRestorerIntegrationTest extends WorkerIntegrationTest {

    private static final int ISSUED = 20_000;
    /** Not a divisor of {@link #ISSUED}, so the last page is a short one. */
    private static final int PAGE_SIZE = 700;

    @Autowired
    DataSource dataSource;

    private CouponStateRestorer restorer() {
        return restorer(dataSource, PAGE_SIZE);
    }

    @Test
    void restoresEveryIssuedUserAndStatusOfALargeCouponPageByPage() {
        fixture.openCoupon(401, 50_000, 50_000 - ISSUED, 50_000);
        issueToUsersUpTo(401, ISSUED);
        // Redis restarted empty, with two requests admitted and not yet committed
        redisson.getKeys().flushdb();
        var pending = redisson.getScoredSortedSet(CouponKeys.of(401).pending(), StringCodec.INSTANCE);
        pending.add(Instant.now().toEpochMilli(), RequestId.newFor(401).toString());
        pending.add(Instant.now().toEpochMilli(), RequestId.newFor(401).toString());

        RestoreResult result = restorer().restore(401).orElseThrow();

        assertThat(result).isEqualTo(new RestoreResult(401, ISSUED, ISSUED, 50_000 - ISSUED, 50_000 - ISSUED - 2, true));
        assertThat(fixture.redisCoupon(401)).map(CouponView::remaining).hasValue(50_000 - ISSUED - 2);
        assertThat(redisson.getMap(CouponKeys.of(401).users(), StringCodec.INSTANCE).size()).isEqualTo(ISSUED);
        for (long user : new long[] {1, PAGE_SIZE, PAGE_SIZE + 1, 12_345, ISSUED}) {
            assertIssuedAndDuplicate(401, user);
        }
    }

    @Test
    void restoringAgainKeepsStatusesRedisStillHasAndTheStockOfACouponRedisHas() {
        fixture.openCoupon(402, 10, 8, 10);
        issueToUsersUpTo(402, 2);

        // Redis has the coupon: its stock is live (the reconciler's drift repair owns it), not the restorer's
        assertThat(restorer().restore(402)).hasValue(new RestoreResult(402, 2, 2, 8, 10, false));
        assertThat(restorer().restore(402)).hasValue(new RestoreResult(402, 2, 0, 8, 10, false));
    }

    @Test
    void restoresNothingForACouponPostgresDoesNotHave() {
        assertThat(restorer().restore(499)).isEmpty();
        assertThat(fixture.redisCoupon(499)).isEmpty();
    }

    @Test
    void restoresRejectedStatusesWithTheirReasonAndLeavesRejectedUsersFreeToAskAgain() {
        fixture.openCoupon(403, 10);
        IssueRequested issued = fixture.admit(403, 1);
        IssueRequested rejected = fixture.admit(403, 2);
        fixture.recordIssuance(issued, Instant.now());
        fixture.recordRejection(rejected, ErrorCode.SOLD_OUT, Instant.now());
        redisson.getKeys().flushdb();

        RestoreResult result = restorer().restore(403).orElseThrow();

        assertThat(result.statusesRestored()).isEqualTo(2);
        RequestView status = fixture.request(rejected).orElseThrow();
        assertThat(status.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(status.reason()).isEqualTo(ErrorCode.SOLD_OUT.name());
        assertThat(status.userId()).isEqualTo(2);
        assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED);
        // a rejected request holds no place: "sold out" meant then, and units can come back
        assertThat(redisson.getMap(CouponKeys.of(403).users(), StringCodec.INSTANCE).readAllMap())
                .containsOnlyKeys("1");
        assertThat(fixture.couponRedis().precheck(RequestId.newFor(403), 2, null, null,
                WorkerFixture.REQUEST_TTL).outcome()).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void restoresAStatusOnlyForWhatIsLeftOfItsLifetime() {
        fixture.openCoupon(404, 10);
        IssueRequested recent = fixture.admit(404, 1);
        IssueRequested expired = fixture.admit(404, 2);
        fixture.recordIssuance(recent, Instant.now().minus(Duration.ofMinutes(30)));
        fixture.recordIssuance(expired, Instant.now().minus(WorkerFixture.REQUEST_TTL).minusSeconds(60));
        redisson.getKeys().flushdb();

        RestoreResult result = restorer().restore(404).orElseThrow();

        // the expired one's hash had run out before Redis lost anything; its user is still served
        assertThat(result.statusesRestored()).isEqualTo(1);
        assertThat(fixture.request(expired)).isEmpty();
        assertThat(redisson.getMap(CouponKeys.of(404).users(), StringCodec.INSTANCE).readAllMap())
                .containsOnlyKeys("1", "2");
        long ttl = redisson.getKeys().remainTimeToLive(CouponKeys.of(404).request(RequestId.tryParse(recent.requestId())));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(30).toMillis());
    }

    @Test
    void restoresACouponWhoseWindowEndedLongAgo() {
        fixture.openCoupon(405, 10);
        IssueRequested issued = fixture.admit(405, 1);
        fixture.recordIssuance(issued, Instant.now());
        fixture.endedAgo(405, Duration.ofDays(30));
        redisson.getKeys().flushdb();

        assertThat(restorer().restore(405)).hasValue(new RestoreResult(405, 1, 1, 9, 9, true));
        assertThat(fixture.redisCoupon(405)).map(CouponView::remaining).hasValue(9);
        assertThat(fixture.request(issued)).map(RequestView::status).hasValue(IssueStatus.ISSUED);
    }

    @Test
    void rebuildDoesNotOverAdmitWhenAPendingRequestCommitsAfterPostgresWasRead() {
        // the worker is about to commit the request
        IssueRequested inFlight = pendingRequestOfACouponWithoutItsHash(406);
        RecordingDataSource records = new RecordingDataSource(dataSource);
        records.afterFirst(CouponStateRestorerIntegrationTest::readsCoupon, () -> commitAndFinalize(inFlight));

        RestoreResult result = restorer(records, PAGE_SIZE).restore(406).orElseThrow();

        assertThat(fixture.remaining(406)).isEqualTo(9);
        assertThat(result.redisRemaining()).isEqualTo(9);
        assertThat(admittedOfUsers(406, 2, 20)).as("admissions for the 9 units PostgreSQL has left").isEqualTo(9);
    }

    @Test
    void rebuildDoesNotOverAdmitWhenAPendingRequestCommitsBeforePostgresIsRead() {
        IssueRequested inFlight = pendingRequestOfACouponWithoutItsHash(407);
        RecordingDataSource records = new RecordingDataSource(dataSource);
        records.beforeFirst(CouponStateRestorerIntegrationTest::readsCoupon, () -> commitAndFinalize(inFlight));

        assertThat(restorer(records, PAGE_SIZE).restore(407)).map(RestoreResult::redisRemaining).hasValue(9L);
        assertThat(admittedOfUsers(407, 2, 20)).isEqualTo(9);
    }

    @Test
    void rebuildLeavesACouponHashThatAnotherRestorerOrAnAdminCreatedMeanwhile() {
        pendingRequestOfACouponWithoutItsHash(408);
        RecordingDataSource records = new RecordingDataSource(dataSource);
        // someone else's restore gets there first, with fresher numbers
        records.afterFirst(CouponStateRestorerIntegrationTest::readsCoupon, () -> redisson.getMap(CouponKeys.of(408).coupon(),
                StringCodec.INSTANCE).putAll(Map.of("name", "Coupon 408", "state", "ACTIVE",
                        "startsAt", "0", "endsAt", Long.toString(Instant.now().plusSeconds(3600).toEpochMilli()),
                        "total", "10", "remaining", "5")));

        RestoreResult result = restorer(records, PAGE_SIZE).restore(408).orElseThrow();

        assertThat(result.redisRemaining()).isEqualTo(5);
        assertThat(fixture.redisCoupon(408)).map(CouponView::remaining).hasValue(5);
    }

    @Test
    void readsNoMoreRowsPerQueryThanOnePage() {
        fixture.openCoupon(409, 100);
        List<IssueRequested> requests = new ArrayList<>();
        for (long user = 1; user <= 25; user++) {
            requests.add(fixture.admit(409, user));
        }
        for (int i = 0; i < 10; i++) {
            fixture.recordIssuance(requests.get(i), Instant.now());
            fixture.recordRejection(requests.get(10 + i), ErrorCode.DUPLICATE_REQUEST, Instant.now());
        }
        // Redis lost the coupon and the statuses; the last five requests are still pending
        redisson.getKeys().delete(CouponKeys.of(409).coupon());
        requests.subList(0, 20).forEach(request -> redisson.getKeys().delete(
                CouponKeys.of(409).request(RequestId.tryParse(request.requestId()))));
        RecordingDataSource records = new RecordingDataSource(dataSource);

        RestoreResult result = restorer(records, 2).restore(409).orElseThrow();

        assertThat(result.statusesRestored()).isEqualTo(20);
        assertThat(result.redisRemaining()).isEqualTo(90 - 5);
        assertThat(records.queries()).allSatisfy(query ->
                assertThat(query.rows().get()).as(query.sql()).isLessThanOrEqualTo(2));
        assertThat(records.queries()).filteredOn(query -> query.reads("coupon_issuance") && query.sql().contains("LIMIT"))
                .as("issuance pages").hasSizeGreaterThanOrEqualTo(5);
        assertThat(records.queries()).filteredOn(query -> query.reads("issue_rejection") && query.sql().contains("LIMIT"))
                .as("rejection pages").hasSizeGreaterThanOrEqualTo(5);
    }

    private CouponStateRestorer restorer(DataSource records, int pageSize) {
        return new CouponStateRestorer(new CouponRecords(records), fixture.couponRedis(), WorkerFixture.REQUEST_TTL,
                pageSize);
    }

    /** A coupon of 10 whose hash Redis lost, with one request (user 1) still pending. */
    private IssueRequested pendingRequestOfACouponWithoutItsHash(long couponId) {
        fixture.openCoupon(couponId, 10);
        IssueRequested request = fixture.admit(couponId, 1);
        redisson.getKeys().delete(CouponKeys.of(couponId).coupon());
        return request;
    }

    /** The restorer's read of the coupon row, whose stock it rebuilds from. */
    private static boolean readsCoupon(String sql) {
        return sql.contains("FROM coupon WHERE id = ?");
    }

    /** The worker's commit of the request and its finalize in Redis, as one interleaving step. */
    private void commitAndFinalize(IssueRequested request) {
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        fixture.recordIssuance(request, issuedAt);
        fixture.couponRedis().finalizeRequests(request.couponId(), List.of(FinalStatus.issued(
                RequestId.tryParse(request.requestId()), request.userId(), issuedAt)),
                fixture.remaining(request.couponId()), WorkerFixture.REQUEST_TTL);
    }

    /** How many of users {@code from} … {@code to} the gateway's pre-check admits now. */
    private int admittedOfUsers(long couponId, long from, long to) {
        int admitted = 0;
        for (long user = from; user <= to; user++) {
            if (fixture.couponRedis().precheck(RequestId.newFor(couponId), user, null, null,
                    WorkerFixture.REQUEST_TTL).accepted()) {
                admitted++;
            }
        }
        return admitted;
    }

    /** Issuance rows as the worker writes them, for users 1 … {@code users}, in one statement each. */
    private void issueToUsersUpTo(long couponId, int users) {
        fixture.jdbc().sql("INSERT INTO app_user (id) SELECT generate_series(1, ?)").param(users).update();
        fixture.jdbc().sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                SELECT ?, u, ? || '-' || gen_random_uuid(), now(), now() + interval '7 days'
                FROM generate_series(1, ?) AS u""").params(couponId, Long.toString(couponId), users).update();
    }

    private void assertIssuedAndDuplicate(long couponId, long user) {
        record Row(String requestId, OffsetDateTime issuedAt) {
        }
        Row row = fixture.jdbc().sql("SELECT request_id, issued_at FROM coupon_issuance WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, user)
                .query((rs, n) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
                .single();
        RequestView status = fixture.couponRedis().request(RequestId.tryParse(row.requestId())).orElseThrow();
        assertThat(status.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(status.userId()).isEqualTo(user);
        assertThat(status.issuedAt()).isEqualTo(row.issuedAt().toInstant().truncatedTo(ChronoUnit.MILLIS));
        PrecheckResult again = fixture.couponRedis().precheck(RequestId.newFor(couponId), user, null, null,
                WorkerFixture.REQUEST_TTL);
        assertThat(again.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(again.requestId()).isEqualTo(row.requestId());
    }
}
