package io.rushcoupon.worker.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.support.KafkaHeaders;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.worker.WorkerFixture;
import io.rushcoupon.worker.WorkerIntegrationTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rushcoupon.worker.reconciler.enabled=false",
        "rushcoupon.issue.request-ttl=1h"})
class IssuanceIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @AfterEach
    void dropTestTrigger() {
        // before the base class closes the fixture
        fixture.jdbc().sql("DROP TRIGGER IF EXISTS test_version_bump ON coupon_issuance").update();
    }

    @Test
    void issuesAcceptedRequestsAndFinalizesThemInRedis() {
        fixture.openCoupon(101, 10);
        List<IssueRequested> requests = new ArrayList<>(admit(101, 1, 4));
        IssueRequested withoutClaims = fixture.admit(101, 5);
        requests.add(new IssueRequested(withoutClaims.requestId(), 101, 5, null, null, withoutClaims.requestedAt()));

        fixture.send(requests);

        awaitFinal(requests);
        for (IssueRequested request : requests) {
            RequestView status = fixture.request(request).orElseThrow();
            assertThat(status.status()).isEqualTo(IssueStatus.ISSUED);
            assertThat(status.issuedAt()).isNotNull();
            assertThat(status.userId()).isEqualTo(request.userId());
        }
        assertThat(fixture.rows(101)).isEqualTo(5);
        assertThat(fixture.remaining(101)).isEqualTo(5);
        assertThat(fixture.version(101)).isBetween(1L, 5L);
        assertThat(fixture.couponRedis().pendingCount(101)).isZero();
        assertThat(fixture.redisCoupon(101).orElseThrow().remaining()).isEqualTo(5);
        assertThat(fixture.jdbc().sql("SELECT email FROM app_user WHERE id = 3").query(String.class).single())
                .isEqualTo(WorkerFixture.email(3));
        assertThat(fixture.jdbc().sql("SELECT count(*) FROM app_user WHERE id = 5 AND email IS NULL AND username IS NULL")
                .query(Integer.class).single()).isEqualTo(1);
        // valid_days = 7 in the fixture's coupon
        assertThat(fixture.jdbc().sql("""
                SELECT count(*) FROM coupon_issuance
                WHERE coupon_id = 101 AND expires_at = issued_at + interval '7 days'
                """).query(Integer.class).single()).isEqualTo(5);
    }

    @Test
    void replayingTheSameEventsChangesNothing() {
        fixture.openCoupon(102, 10);
        List<IssueRequested> requests = admit(102, 1, 3);
        fixture.send(requests);
        awaitFinal(requests);
        Map<String, Instant> rowsBefore = fixture.issuances(102);
        long versionBefore = fixture.version(102);

        fixture.send(requests);
        IssueRequested marker = fixture.admit(102, 99);
        fixture.send(marker);

        // the marker comes after the replays in the coupon's partition: once it is decided, so are they
        awaitFinal(List.of(marker));
        Map<String, Instant> rowsAfter = fixture.issuances(102);
        assertThat(rowsAfter).hasSize(4).containsAllEntriesOf(rowsBefore);
        assertThat(fixture.remaining(102)).isEqualTo(6);
        assertThat(fixture.version(102)).isEqualTo(versionBefore + 1);
        for (IssueRequested request : requests) {
            RequestView status = fixture.request(request).orElseThrow();
            assertThat(status.status()).isEqualTo(IssueStatus.ISSUED);
            assertThat(status.issuedAt()).isEqualTo(rowsBefore.get(request.requestId()).truncatedTo(ChronoUnit.MILLIS));
        }
    }

    @Test
    void neverOverIssuesWhenRedisStockDriftedHigh() {
        fixture.openCoupon(103, 20, 5, 20);
        List<IssueRequested> requests = admit(103, 1, 20);

        fixture.send(requests);

        awaitFinal(requests);
        assertThat(fixture.rows(103)).isEqualTo(5);
        assertThat(fixture.remaining(103)).isZero();
        assertThat(fixture.redisCoupon(103).orElseThrow().remaining()).isZero();
        // the first five accepted are the ones issued
        assertThat(fixture.issuances(103).keySet())
                .containsExactlyInAnyOrderElementsOf(requests.subList(0, 5).stream().map(IssueRequested::requestId).toList());
        for (IssueRequested request : requests.subList(5, 20)) {
            RequestView status = fixture.request(request).orElseThrow();
            assertThat(status.status()).isEqualTo(IssueStatus.REJECTED);
            assertThat(status.reason()).isEqualTo("SOLD_OUT");
        }
    }

    @Test
    void rejectsSecondIssuanceOfSameUserAsDuplicate() {
        fixture.openCoupon(104, 10);
        IssueRequested first = fixture.admit(104, 7);
        fixture.send(first);
        awaitFinal(List.of(first));
        // Redis lost its users hash (e.g. restarted without the reconciler yet): the gateway admits again
        redisson.getMap(CouponKeys.of(104).users(), StringCodec.INSTANCE).delete();
        IssueRequested second = fixture.admit(104, 7);

        fixture.send(second);

        awaitFinal(List.of(second));
        RequestView status = fixture.request(second).orElseThrow();
        assertThat(status.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(status.reason()).isEqualTo("DUPLICATE_REQUEST");
        assertThat(fixture.request(first).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(fixture.rows(104)).isEqualTo(1);
        assertThat(fixture.remaining(104)).isEqualTo(9);
        // the unit Redis took for the duplicate went back
        assertThat(fixture.redisCoupon(104).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void poisonRecordGoesToDeadLetterTopicAndLaterRecordsAreStillIssued() {
        fixture.openCoupon(105, 10);
        double deadLettersBefore = counter(MetricNames.DEAD_LETTERS);
        List<IssueRequested> valid = admit(105, 1, 5);
        IssueRequested admittedButCorrupted = fixture.admit(105, 50);
        IssueRequested invalid = new IssueRequested(admittedButCorrupted.requestId(), 105, -1,
                null, null, admittedButCorrupted.requestedAt());

        IssueRequested admittedButMistyped = fixture.admit(105, 60);
        String mistyped = "{\"requestId\":\"" + admittedButMistyped.requestId()
                + "\",\"couponId\":105,\"userId\":\"sixty\",\"requestedAt\":\"2026-01-01T00:00:00Z\"}";

        fixture.send(valid.get(0), valid.get(1));
        fixture.sendRaw(105, "this is not json {");
        fixture.send(valid.get(2), invalid, valid.get(3));
        fixture.sendRaw(105, mistyped);
        fixture.send(valid.get(4));

        awaitFinal(valid);
        awaitFinal(List.of(admittedButCorrupted, admittedButMistyped));
        for (IssueRequested request : valid) {
            assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
        }
        RequestView rejected = fixture.request(admittedButCorrupted).orElseThrow();
        assertThat(rejected.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(rejected.reason()).isEqualTo("VALIDATION_FAILED");
        assertThat(rejected.userId()).as("the owner stays the user Redis admitted").isEqualTo(50);
        // unreadable as an event, but its request id can still be read from the JSON
        RequestView mistypedStatus = fixture.request(admittedButMistyped).orElseThrow();
        assertThat(mistypedStatus.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(mistypedStatus.reason()).isEqualTo("VALIDATION_FAILED");
        assertThat(fixture.rows(105)).isEqualTo(5);

        List<ConsumerRecord<String, byte[]>> deadLetters = fixture.deadLetters(105, Duration.ofSeconds(2));
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters).allSatisfy(record -> {
            assertThat(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)).isNotNull();
            assertThat(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isNotNull();
            assertThat(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)).isNotNull();
        });
        assertThat(deadLetters.stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)))
                .anySatisfy(value -> assertThat(value).isEqualTo("this is not json {"))
                .anySatisfy(value -> assertThat(value).isEqualTo(mistyped))
                .anySatisfy(value -> assertThat(value).contains(admittedButCorrupted.requestId()));
        assertThat(deadLetters.stream().map(record -> header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE)))
                .anySatisfy(message -> assertThat(message).contains("userId must be positive"));
        assertThat(counter(MetricNames.DEAD_LETTERS) - deadLettersBefore).isEqualTo(3.0);
    }

    @Test
    void optimisticConflictIsRetried() {
        fixture.openCoupon(106, 10);
        double retriesBefore = counter(MetricNames.VERSION_RETRIES);
        // stands in for a concurrent writer: the first two issuance rows ever inserted bump the
        // coupon's version inside the worker's transaction, between its read and its update
        fixture.jdbc().sql("DROP SEQUENCE IF EXISTS test_version_bump_seq").update();
        fixture.jdbc().sql("CREATE SEQUENCE test_version_bump_seq").update();
        fixture.jdbc().sql("""
                CREATE OR REPLACE FUNCTION test_version_bump() RETURNS trigger AS $$
                BEGIN
                    IF nextval('test_version_bump_seq') <= 2 THEN
                        UPDATE coupon SET version = version + 1 WHERE id = NEW.coupon_id;
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """).update();
        fixture.jdbc().sql("""
                CREATE TRIGGER test_version_bump AFTER INSERT ON coupon_issuance
                FOR EACH ROW EXECUTE FUNCTION test_version_bump()
                """).update();
        List<IssueRequested> requests = admit(106, 1, 4);

        fixture.send(requests);

        awaitFinal(requests);
        assertThat(counter(MetricNames.VERSION_RETRIES) - retriesBefore).isPositive();
        assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED));
        assertThat(fixture.rows(106)).isEqualTo(4);
        assertThat(fixture.remaining(106)).isEqualTo(6);
    }

    @Test
    void keepsPerCouponInvariantsForManyCouponsAcrossPartitions() {
        // coupon → {total, Redis stock}: two drifted high, two exact
        Map<Long, int[]> coupons = Map.of(111L, new int[] {5, 40}, 112L, new int[] {10, 10},
                113L, new int[] {3, 40}, 114L, new int[] {50, 50});
        coupons.forEach((id, stock) -> fixture.openCoupon(id, stock[0], stock[0], stock[1]));
        List<IssueRequested> all = new ArrayList<>();
        for (long user = 1; user <= 40; user++) {
            for (long couponId : List.of(111L, 112L, 113L, 114L)) {
                admitIfOpen(couponId, user).ifPresent(all::add);
            }
        }

        fixture.send(all);

        awaitFinal(all);
        coupons.forEach((id, stock) -> {
            int total = stock[0];
            long admitted = all.stream().filter(request -> request.couponId() == id).count();
            int rows = fixture.rows(id);
            assertThat(rows).as("rows of coupon %d", id).isEqualTo((int) Math.min(total, admitted));
            assertThat(fixture.jdbc().sql("SELECT count(DISTINCT user_id) FROM coupon_issuance WHERE coupon_id = :id")
                    .param("id", id).query(Integer.class).single()).isEqualTo(rows);
            assertThat(fixture.remaining(id)).isEqualTo(total - rows);
            long issued = all.stream().filter(request -> request.couponId() == id)
                    .filter(request -> fixture.request(request).orElseThrow().status() == IssueStatus.ISSUED)
                    .count();
            assertThat(issued).as("ISSUED answers of coupon %d", id).isEqualTo(rows);
            // I5 once drained
            assertThat(fixture.couponRedis().pendingCount(id)).isZero();
            assertThat(fixture.redisCoupon(id).orElseThrow().remaining()).isEqualTo(total - rows);
        });
    }

    @Test
    void exposesLivenessFreeOfDependenciesAndIssuanceMetrics() throws Exception {
        fixture.openCoupon(107, 10);
        IssueRequested request = fixture.admit(107, 1);
        fixture.send(request);
        awaitFinal(List.of(request));

        HttpResponse<String> liveness = get("/actuator/health/liveness");
        HttpResponse<String> prometheus = get("/actuator/prometheus");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"").doesNotContain("db").doesNotContain("redis");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("rushcoupon_issuances_total")
                .contains("rushcoupon_issue_end_to_end_seconds")
                .contains("rushcoupon_batch_size_count")
                .contains("rushcoupon_rejections_total{application=\"issuance-worker\",reason=\"SOLD_OUT\"}");
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private Optional<IssueRequested> admitIfOpen(long couponId, long userId) {
        try {
            return Optional.of(fixture.admit(couponId, userId));
        } catch (IllegalStateException refused) {
            return Optional.empty();
        }
    }

    private List<IssueRequested> admit(long couponId, long firstUser, int count) {
        List<IssueRequested> requests = new ArrayList<>();
        for (long user = firstUser; user < firstUser + count; user++) {
            requests.add(fixture.admit(couponId, user));
        }
        return requests;
    }

    private void awaitFinal(List<IssueRequested> requests) {
        await().atMost(SETTLE).untilAsserted(() -> assertThat(requests).allSatisfy(request ->
                assertThat(fixture.request(request)).hasValueSatisfying(status ->
                        assertThat(status.status()).isNotEqualTo(IssueStatus.PENDING))));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
