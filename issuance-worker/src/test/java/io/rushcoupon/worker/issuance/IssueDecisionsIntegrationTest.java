package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.worker.WorkerIntegrationTest;

/**
 * Every decision of the worker is durable (an issuance row or an issue_rejection row, never both)
 * and final: a copy of a decided request gets the recorded answer. Close stops issuance; records
 * PostgreSQL refuses are rejected alone.
 */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.enabled=false",
        "rushcoupon.issue.request-ttl=1h"})
class IssueDecisionsIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @AfterEach
    void dropTestRefusals() {
        // before the base class closes the fixture
        fixture.jdbc().sql("DROP TRIGGER IF EXISTS test_refuse_username ON app_user").update();
        fixture.jdbc().sql("ALTER TABLE app_user DROP CONSTRAINT IF EXISTS test_refuse_username").update();
    }

    @Test
    void aCopyOfARequestRejectedSoldOutStaysRejectedAfterTheTotalIsRaised() {
        // Redis drifted high: it admits two for the one unit PostgreSQL has
        fixture.openCoupon(201, 1, 1, 2);
        IssueRequested first = fixture.admit(201, 1);
        IssueRequested second = fixture.admit(201, 2);
        fixture.send(first, second);
        awaitFinal(first, second);
        assertThat(rejections(201)).containsExactly(Map.entry(second.requestId(), "SOLD_OUT"));

        raiseTotal(201, 1);
        // a second copy of the rejected request: re-sent by the reconciler while the worker lagged,
        // or redelivered because a worker died after its commit but before its offset commit
        fixture.send(second);
        IssueRequested marker = fixture.admit(201, 3);
        fixture.send(marker);
        awaitFinal(marker);

        assertRejected(second, "SOLD_OUT");
        assertThat(fixture.issuances(201).keySet()).containsExactlyInAnyOrder(first.requestId(), marker.requestId());
        assertThat(rejections(201)).containsExactly(Map.entry(second.requestId(), "SOLD_OUT"));
        assertThat(fixture.request(marker).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        assertNeverIssuedAndRejected();
    }

    @Test
    void recordsRejectionsForUnknownCouponsAndDuplicatesAndRepliesThemToCopies() {
        fixture.openCoupon(202, 10);
        IssueRequested issued = fixture.admit(202, 7);
        fixture.send(issued);
        awaitFinal(issued);
        // Redis lost its users hash: the gateway admits the same user again
        redisson.getMap(CouponKeys.of(202).users(), StringCodec.INSTANCE).delete();
        IssueRequested duplicate = fixture.admit(202, 7);
        IssueRequested unknownCoupon = new IssueRequested(
                RequestId.newFor(299).toString(), 299, 8, null, null, Instant.now());
        fixture.send(duplicate, unknownCoupon);
        awaitFinal(duplicate, unknownCoupon);
        long version = fixture.version(202);

        fixture.send(issued, duplicate, unknownCoupon);
        IssueRequested marker = fixture.admit(202, 9);
        fixture.send(marker);
        awaitFinal(marker);

        assertRejected(duplicate, "DUPLICATE_REQUEST");
        assertRejected(unknownCoupon, "COUPON_NOT_FOUND");
        assertThat(rejections(202)).containsExactly(Map.entry(duplicate.requestId(), "DUPLICATE_REQUEST"));
        assertThat(rejections(299)).containsExactly(Map.entry(unknownCoupon.requestId(), "COUPON_NOT_FOUND"));
        assertThat(fixture.issuances(202).keySet()).containsExactlyInAnyOrder(issued.requestId(), marker.requestId());
        // the replays decided nothing, so only the marker went through the version check
        assertThat(fixture.version(202)).isEqualTo(version + 1);
        assertNeverIssuedAndRejected();
    }

    @Test
    void aRequestAdmittedBeforeTheCouponClosedIsRejectedIssuanceEnded() {
        fixture.openCoupon(203, 5);
        IssueRequested first = fixture.admit(203, 1);
        IssueRequested second = fixture.admit(203, 2);
        changeState(203, CouponState.CLOSED);

        fixture.send(first, second);

        awaitFinal(first, second);
        assertRejected(first, "ISSUANCE_ENDED");
        assertRejected(second, "ISSUANCE_ENDED");
        assertThat(fixture.rows(203)).isZero();
        assertThat(fixture.remaining(203)).isEqualTo(5);
        assertThat(rejections(203)).containsOnlyKeys(first.requestId(), second.requestId());
        // their units went back; the closed coupon admits nobody anyway
        assertThat(fixture.redisCoupon(203).orElseThrow().remaining()).isEqualTo(5);
        assertThat(fixture.couponRedis().pendingCount(203)).isZero();
    }

    @Test
    void aBatchThatReadTheCouponOpenIsRejectedWhenTheCloseCommitsFirst() throws Exception {
        fixture.openCoupon(204, 5);
        IssueRequested request = fixture.admit(204, 1);
        double retriesBefore = counter(MetricNames.VERSION_RETRIES);
        RealServers servers = RealServers.get();
        try (Connection admin = DriverManager.getConnection(servers.schemaJdbcUrl(), servers.jdbcUser(),
                servers.jdbcPassword()); Statement sql = admin.createStatement()) {
            admin.setAutoCommit(false);
            long adminPid = single(sql, "SELECT pg_backend_pid()");
            // the admin's close holds the coupon row: the worker reads ACTIVE and then waits for
            // the row when it inserts the issuance (foreign key) or takes the stock
            sql.execute("SELECT id FROM coupon WHERE id = 204 FOR UPDATE");
            fixture.send(request);
            await().atMost(SETTLE).until(() -> fixture.jdbc()
                    .sql("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
                    .param("pid", adminPid).query(Integer.class).single() > 0);
            sql.executeUpdate("UPDATE coupon SET state = 'CLOSED', version = version + 1 WHERE id = 204");
            admin.commit();
        }
        publishState(204, CouponState.CLOSED);

        awaitFinal(request);
        assertRejected(request, "ISSUANCE_ENDED");
        assertThat(fixture.rows(204)).isZero();
        assertThat(fixture.remaining(204)).isEqualTo(5);
        assertThat(counter(MetricNames.VERSION_RETRIES) - retriesBefore).isPositive();
    }

    @Test
    void aPausedCouponStillIssuesWhatItAdmittedWhileOpen() {
        fixture.openCoupon(205, 5);
        IssueRequested request = fixture.admit(205, 1);
        changeState(205, CouponState.PAUSED);

        fixture.send(request);

        awaitFinal(request);
        assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(fixture.rows(205)).isEqualTo(1);
        assertThat(rejections(205)).isEmpty();
    }

    @Test
    void soldOutLeavesRedisStockAloneWhenItsTotalIsNotTheTotalTheWorkerRead() {
        // PostgreSQL: total 2, both issued. Redis already has the admin's raise to 3 (one unit more)
        // that PostgreSQL will show too; the worker decides on what it read
        fixture.openCoupon(206, 2, 0, 2);
        fixture.couponRedis().adjustTotal(206, 1, 3, 1);
        IssueRequested request = fixture.admit(206, 1);

        fixture.send(request);

        awaitFinal(request);
        assertRejected(request, "SOLD_OUT");
        assertThat(fixture.redisCoupon(206).orElseThrow().remaining()).isEqualTo(2);
    }

    @Test
    void aNulInAClaimIsDeadLetteredAloneAndLaterRequestsAreIssued() {
        fixture.openCoupon(207, 10);
        IssueRequested before = fixture.admit(207, 1);
        IssueRequested admitted = fixture.admit(207, 2);
        IssueRequested withNul = new IssueRequested(admitted.requestId(), 207, 2, admitted.email(), "user\u00002",
                admitted.requestedAt());
        IssueRequested after = fixture.admit(207, 3);

        fixture.send(before, withNul, after);

        awaitFinal(before, admitted, after);
        assertThat(fixture.request(before).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(fixture.request(after).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        assertRejected(admitted, "VALIDATION_FAILED");
        assertThat(rejections(207)).containsExactly(Map.entry(admitted.requestId(), "VALIDATION_FAILED"));
        assertThat(fixture.deadLetters(207, Duration.ofSeconds(2))).singleElement()
                .satisfies(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                        .contains(admitted.requestId()));
    }

    @Test
    void aRequestPostgresRefusesIsRejectedAloneAndTheOthersOfItsCouponAreIssued() {
        fixture.openCoupon(208, 10);
        // stand-ins for any value PostgreSQL refuses deterministically: a data exception (22021,
        // as a NUL in text) and an integrity violation (23514), both for one username
        fixture.jdbc().sql("""
                CREATE OR REPLACE FUNCTION test_refuse_username() RETURNS trigger AS $$
                BEGIN
                    IF NEW.username = 'refused-22' THEN
                        RAISE EXCEPTION 'test refuses this username' USING ERRCODE = '22021';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """).update();
        fixture.jdbc().sql("""
                CREATE TRIGGER test_refuse_username BEFORE INSERT ON app_user
                FOR EACH ROW EXECUTE FUNCTION test_refuse_username()
                """).update();
        fixture.jdbc().sql("""
                ALTER TABLE app_user ADD CONSTRAINT test_refuse_username
                CHECK (username IS DISTINCT FROM 'refused-23') NOT VALID
                """).update();
        IssueRequested first = fixture.admit(208, 1);
        IssueRequested dataError = withUsername(fixture.admit(208, 2), "refused-22");
        IssueRequested second = fixture.admit(208, 3);
        IssueRequested integrityError = withUsername(fixture.admit(208, 4), "refused-23");
        IssueRequested third = fixture.admit(208, 5);
        List<IssueRequested> good = List.of(first, second, third);

        fixture.send(first, dataError, second, integrityError, third);

        awaitFinal(first, dataError, second, integrityError, third);
        assertThat(good).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED));
        assertRejected(dataError, "VALIDATION_FAILED");
        assertRejected(integrityError, "VALIDATION_FAILED");
        assertThat(fixture.issuances(208).keySet())
                .containsExactlyInAnyOrderElementsOf(good.stream().map(IssueRequested::requestId).toList());
        assertThat(rejections(208)).containsOnlyKeys(dataError.requestId(), integrityError.requestId());
        assertThat(fixture.remaining(208)).isEqualTo(7);
        assertThat(fixture.redisCoupon(208).orElseThrow().remaining()).isEqualTo(7);
        List<ConsumerRecord<String, byte[]>> deadLetters = fixture.deadLetters(208, Duration.ofSeconds(2));
        assertThat(deadLetters.stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)))
                .hasSize(2)
                .anySatisfy(value -> assertThat(value).contains(dataError.requestId()))
                .anySatisfy(value -> assertThat(value).contains(integrityError.requestId()));
        await().atMost(SETTLE).until(() -> fixture.committedEverything("rushcoupon-issuance-worker"));
        assertNeverIssuedAndRejected();
    }

    @Test
    void aDeadLetteredRequestIsRecordedAndAValidCopyGetsTheSameAnswer() {
        fixture.openCoupon(209, 10);
        IssueRequested admitted = fixture.admit(209, 50);
        IssueRequested invalid = new IssueRequested(admitted.requestId(), 209, -1, null, null,
                admitted.requestedAt());
        fixture.send(invalid);
        awaitFinal(admitted);
        assertRejected(admitted, "VALIDATION_FAILED");

        // the copy the reconciler would re-send from Redis's hash, which is valid
        fixture.send(admitted);
        IssueRequested marker = fixture.admit(209, 51);
        fixture.send(marker);
        awaitFinal(marker);

        assertRejected(admitted, "VALIDATION_FAILED");
        assertThat(rejections(209)).containsExactly(Map.entry(admitted.requestId(), "VALIDATION_FAILED"));
        assertThat(fixture.jdbc().sql("SELECT user_id FROM issue_rejection WHERE request_id = :id")
                .param("id", admitted.requestId()).query(Long.class).single())
                .as("the user Redis admitted, not the broken record's").isEqualTo(50);
        assertThat(fixture.issuances(209).keySet()).containsExactly(marker.requestId());
        assertNeverIssuedAndRejected();
    }

    private void assertRejected(IssueRequested request, String reason) {
        RequestView status = fixture.request(request).orElseThrow();
        assertThat(status.status()).as("status of %s", request.requestId()).isEqualTo(IssueStatus.REJECTED);
        assertThat(status.reason()).as("reason of %s", request.requestId()).isEqualTo(reason);
    }

    private void assertNeverIssuedAndRejected() {
        assertThat(fixture.jdbc().sql("SELECT count(*) FROM coupon_issuance JOIN issue_rejection USING (request_id)")
                .query(Integer.class).single()).isZero();
    }

    /** request id → reason of the coupon's recorded rejections. */
    private Map<String, String> rejections(long couponId) {
        Map<String, String> rows = new HashMap<>();
        fixture.jdbc().sql("SELECT request_id, reason FROM issue_rejection WHERE coupon_id = :id")
                .param("id", couponId)
                .query(rs -> {
                    rows.put(rs.getString(1), rs.getString(2));
                });
        return rows;
    }

    /** As the admin does it: PostgreSQL with a version bump (JPA), then Redis. */
    private void changeState(long couponId, CouponState state) {
        fixture.jdbc().sql("UPDATE coupon SET state = :state, version = version + 1 WHERE id = :id")
                .param("state", state.name()).param("id", couponId).update();
        publishState(couponId, state);
    }

    private void raiseTotal(long couponId, int by) {
        fixture.jdbc().sql("""
                UPDATE coupon SET total_quantity = total_quantity + :by, remaining_quantity = remaining_quantity + :by,
                                  version = version + 1
                WHERE id = :id
                """).param("by", by).param("id", couponId).update();
        int total = fixture.jdbc().sql("SELECT total_quantity FROM coupon WHERE id = :id").param("id", couponId)
                .query(Integer.class).single();
        int remaining = fixture.remaining(couponId);
        // as the admin's change of total does (admin-service CouponCommands): Redis moves by the delta
        fixture.couponRedis().adjustTotal(couponId, by, total, remaining);
    }

    private void publishState(long couponId, CouponState state) {
        int total = fixture.jdbc().sql("SELECT total_quantity FROM coupon WHERE id = :id").param("id", couponId)
                .query(Integer.class).single();
        fixture.couponRedis().publish(snapshot(couponId, state, total));
    }

    /** The fixture's window; a known coupon keeps Redis's own remaining, moved by the change of total. */
    private CouponSnapshot snapshot(long couponId, CouponState state, int total) {
        var coupon = fixture.redisCoupon(couponId).orElseThrow();
        return new CouponSnapshot(couponId, coupon.name(), state, coupon.issueStartsAt(), coupon.issueEndsAt(),
                total, coupon.remaining());
    }

    private static IssueRequested withUsername(IssueRequested request, String username) {
        return new IssueRequested(request.requestId(), request.couponId(), request.userId(), request.email(),
                username, request.requestedAt());
    }

    private static long single(Statement sql, String query) throws Exception {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitFinal(IssueRequested... requests) {
        await().atMost(SETTLE).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request)).hasValueSatisfying(status ->
                        assertThat(status.status()).isNotEqualTo(IssueStatus.PENDING))));
    }
}
