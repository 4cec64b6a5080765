package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.SingleServerConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.IssueRequestedTopic;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class IssueRequestIntegrationTest extends GatewayIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MeterRegistry meters;

    @Autowired
    ProducerFactory<?, ?> producers;

    @Autowired
    GatewayProperties settings;

    @Autowired
    UserLocks locks;

    @Test
    void acceptsARequestAndHandsItToKafka() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 10));
        double acceptedBefore = counter(MetricNames.ISSUE_REQUESTS, MetricNames.OUTCOME, "accepted");

        Reply reply = gateway.requestCoupon(couponId, TestTokens.user(7));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String requestId = reply.text("requestId");
        assertThat(RequestId.tryParse(requestId)).isNotNull().extracting(RequestId::couponId).isEqualTo(couponId);
        assertThat(reply.json().get("couponId").asLong()).isEqualTo(couponId);
        assertThat(reply.text("status")).isEqualTo("PENDING");
        assertThat(reply.header("Location")).isEqualTo("/api/v1/issue-requests/" + requestId);

        RequestView request = couponRedis.request(RequestId.tryParse(requestId)).orElseThrow();
        assertThat(request.status()).isEqualTo(IssueStatus.PENDING);
        assertThat(request.userId()).isEqualTo(7);
        assertThat(request.email()).isEqualTo("user7@example.test");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(9);
        assertThat(couponRedis.pendingCount(couponId)).isEqualTo(1);
        assertThat(counter(MetricNames.ISSUE_REQUESTS, MetricNames.OUTCOME, "accepted")).isEqualTo(acceptedBefore + 1);

        List<ConsumerRecord<String, String>> records = IssueRequestedTopic.recordsOf(couponId);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.getFirst();
        assertThat(record.key()).isEqualTo(Long.toString(couponId));
        // trace headers (traceparent) travel along; Spring's JSON type headers must not
        assertThat(record.headers().toArray()).as("no type headers")
                .noneMatch(header -> header.key().startsWith("__"));
        JsonNode event = JSON.readTree(record.value());
        assertThat(event.get("requestId").asString()).isEqualTo(requestId);
        assertThat(event.get("couponId").asLong()).isEqualTo(couponId);
        assertThat(event.get("userId").asLong()).isEqualTo(7);
        assertThat(event.get("email").asString()).isEqualTo("user7@example.test");
        assertThat(event.get("username").asString()).isEqualTo("user7");
        assertThat(Instant.parse(event.get("requestedAt").asString())).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void rejectsSecondRequestFromSameUser() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 10));
        String first = gateway.requestCoupon(couponId, TestTokens.user(8)).text("requestId");

        Reply second = gateway.requestCoupon(couponId, TestTokens.user(8));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
        assertThat(second.code()).isEqualTo("DUPLICATE_REQUEST");
        assertThat(second.text("requestId")).isEqualTo(first);
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(9);
        assertThat(IssueRequestedTopic.recordsOf(couponId)).hasSize(1);
    }

    @Test
    void answersSoldOutWhenNoUnitIsLeft() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 1));
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(1)).status()).isEqualTo(202);

        Reply late = gateway.requestCoupon(couponId, TestTokens.user(2));

        assertThat(late.status()).isEqualTo(410);
        assertThat(late.code()).isEqualTo("SOLD_OUT");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isZero();
    }

    @Test
    void answersCouponNotFoundForAnUnknownCoupon() {
        Reply reply = gateway.requestCoupon(TestCoupons.newId(), TestTokens.user(1));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("COUPON_NOT_FOUND");
    }

    @Test
    void refusesBeforeTheWindowOpens() {
        long couponId = TestCoupons.newId();
        Instant now = Instant.now();
        couponRedis.publish(TestCoupons.window(TestCoupons.open(couponId, 5), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2))));

        Reply reply = gateway.requestCoupon(couponId, TestTokens.user(1));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("ISSUANCE_NOT_STARTED");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(5);
    }

    @Test
    void refusesAfterTheWindowClosesOrTheCouponIsClosed() {
        long ended = TestCoupons.newId();
        Instant now = Instant.now();
        couponRedis.publish(TestCoupons.window(TestCoupons.open(ended, 5), now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1))));
        long closed = TestCoupons.newId();
        couponRedis.publish(TestCoupons.withState(TestCoupons.open(closed, 5), CouponState.CLOSED));

        Reply afterWindow = gateway.requestCoupon(ended, TestTokens.user(1));
        Reply closedByAdmin = gateway.requestCoupon(closed, TestTokens.user(1));

        assertThat(afterWindow.status()).isEqualTo(409);
        assertThat(afterWindow.code()).isEqualTo("ISSUANCE_ENDED");
        assertThat(closedByAdmin.status()).isEqualTo(409);
        assertThat(closedByAdmin.code()).isEqualTo("ISSUANCE_ENDED");
    }

    @Test
    void refusesWhilePausedAndAcceptsAgainOnceResumed() {
        long couponId = TestCoupons.newId();
        CouponSnapshot coupon = TestCoupons.open(couponId, 5);
        couponRedis.publish(TestCoupons.withState(coupon, CouponState.PAUSED));

        Reply paused = gateway.requestCoupon(couponId, TestTokens.user(3));

        assertThat(paused.status()).isEqualTo(409);
        assertThat(paused.code()).isEqualTo("COUPON_PAUSED");

        couponRedis.publish(coupon);
        Reply resumed = gateway.requestCoupon(couponId, TestTokens.user(3));

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(202);
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(4);
    }

    @Test
    void refusesASoldOutCouponAtOnceEvenWhileTheUsersLockIsHeld() throws Exception {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 1));
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(30)).status()).isEqualTo(202);
        HeldElsewhere held = holdLockOf(couponId, 31);

        // a refusal never looks at the lock: SOLD_OUT, not BUSY
        Reply soldOut = gateway.requestCoupon(couponId, TestTokens.user(31));

        held.release();
        assertThat(soldOut.status()).isEqualTo(410);
        assertThat(soldOut.code()).isEqualTo("SOLD_OUT");
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(30)).code()).isEqualTo("DUPLICATE_REQUEST");
    }

    @Test
    void answersBusyNotDuplicateWhileTheUsersAdmittedClickMayStillBeUndone() throws Exception {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(35)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> !lockHeld(couponId, 35));
        // as if that click were still sending: its lock is taken again by another request id
        HeldElsewhere held = holdLockOf(couponId, 35);

        Reply whileHeld = gateway.requestCoupon(couponId, TestTokens.user(35));

        held.release();
        assertThat(whileHeld.code()).isEqualTo("BUSY");
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(35)).code()).isEqualTo("DUPLICATE_REQUEST");
    }

    @Test
    void answersBusyWhileAnotherRequestOfTheUserHoldsTheLock() throws Exception {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        HeldElsewhere held = holdLockOf(couponId, 11);
        double busyBefore = counter(MetricNames.ISSUE_REQUESTS, MetricNames.OUTCOME, "busy");

        Reply busy = gateway.requestCoupon(couponId, TestTokens.user(11));
        Reply otherUser = gateway.requestCoupon(couponId, TestTokens.user(12));

        held.release();
        assertThat(busy.status()).isEqualTo(429);
        assertThat(busy.code()).isEqualTo("BUSY");
        assertThat(busy.header("Retry-After")).isEqualTo("1");
        assertThat(counter(MetricNames.ISSUE_REQUESTS, MetricNames.OUTCOME, "busy")).isEqualTo(busyBefore + 1);
        assertThat(meters.find(MetricNames.LOCK_WAIT).tag(MetricNames.RESULT, "timeout").timer())
                .isNotNull().satisfies(timer -> assertThat(timer.count()).isPositive());
        assertThat(otherUser.status()).isEqualTo(202);
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(4);

        // once the other request is done, the user gets through
        await().atMost(Duration.ofSeconds(5)).until(() -> !lockHeld(couponId, 11));
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(11)).status()).isEqualTo(202);
    }

    @Test
    void releasesTheUserLockAfterEachRequest() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));

        gateway.requestCoupon(couponId, TestTokens.user(21));
        Reply again = gateway.requestCoupon(couponId, TestTokens.user(21));

        assertThat(again.code()).as("not BUSY: the first request let go of the lock").isEqualTo("DUPLICATE_REQUEST");
        // released after Kafka's answer, without the client waiting for it
        await().atMost(Duration.ofSeconds(5)).until(() -> !lockHeld(couponId, 21));
    }

    @Test
    void ignoresARequestBody() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));

        Reply reply = gateway.requestCoupon(couponId, TestTokens.user(41), "{\"userId\": 1, \"quantity\": 9}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(couponRedis.request(RequestId.tryParse(reply.text("requestId"))).orElseThrow().userId()).isEqualTo(41);
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(4);
    }

    @Test
    void refusesACouponIdThatIsNotAPositiveNumber() {
        for (String couponId : List.of("0", "-3", "abc", "99999999999999999999")) {
            Reply reply = gateway.requestCoupon(couponId, TestTokens.user(1));

            assertThat(reply.status()).as(couponId + " " + reply).isEqualTo(400);
            assertThat(reply.code()).as(couponId + " " + reply).isEqualTo("VALIDATION_FAILED");
        }
    }

    @Test
    void requiresAValidToken() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));

        Reply anonymous = gateway.requestCoupon(couponId, null);
        Reply forged = gateway.requestCoupon(couponId,
                TestTokens.sign("another-secret-of-at-least-32-bytes-length!", claims -> claims.subject("5")));

        for (Reply reply : List.of(anonymous, forged)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.code()).isEqualTo("UNAUTHORIZED");
        }
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(5);
    }

    @Test
    void leavesOutClaimsTooLongForTheUserRow() {
        JsonNode event = eventOfAcceptedRequest(31, "x".repeat(400) + "@example.test", "ann");

        assertThat(event.get("email").isNull()).isTrue();
        assertThat(event.get("username").asString()).isEqualTo("ann");
    }

    /**
     * PostgreSQL cannot store a NUL, so a claim carrying one would fail the worker's user row for
     * ever; control characters are removed from the claims before admission (finding 3 of #12).
     */
    @Test
    void removesControlCharactersFromTheClaimsBeforeAdmission() {
        JsonNode event = eventOfAcceptedRequest(32, "ann\u0000@example.test\u0085", "\u0000an\u007Fn\u001B\t");

        assertThat(event.get("email").asString()).isEqualTo("ann@example.test");
        assertThat(event.get("username").asString()).isEqualTo("ann");
        RequestView request = couponRedis.request(RequestId.tryParse(event.get("requestId").asString())).orElseThrow();
        assertThat(request.email()).isEqualTo("ann@example.test");
        assertThat(request.username()).isEqualTo("ann");
    }

    @Test
    void leavesOutAClaimThatIsNothingButControlCharacters() {
        JsonNode event = eventOfAcceptedRequest(33, "ann@example.test", "\u0000\u0000");

        assertThat(event.get("username").isNull()).isTrue();
    }

    /**
     * The lease must outlast everything its holder may still be doing once the admission script
     * took the lock: Redisson's retries of that script and of a compensation (each attempt's write
     * window and reply timeout, and the pause before the next) and the Kafka send. Shorter, it could
     * end while the first click is still undoing its admission, and the second click would be told
     * DUPLICATE_REQUEST for a request that then disappears (finding 12 of #12).
     */
    @Test
    void leasesTheUserLockForLongerThanItsHolderCanSpendInRedisAndKafka() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        SingleServerConfig servers = redisson.getConfig().useSingleServer();
        Duration command = Duration.ZERO;
        for (int attempt = 0; attempt <= servers.getRetryAttempts(); attempt++) {
            command = command.plus(servers.getRetryDelay().calcDelay(attempt).multipliedBy(2))
                    .plusMillis(servers.getTimeout());
        }
        Duration worstHold = command.multipliedBy(2).plus(settings.sendTimeout());

        PrecheckResult admitted = locks.admit(RequestId.newFor(couponId), new Requester(40, null, null), Duration.ofMinutes(1));
        long lease = redisson.getBucket(CouponKeys.of(couponId).userLock(40)).remainTimeToLive();

        assertThat(admitted.accepted()).isTrue();
        assertThat(Duration.ofMillis(lease)).isGreaterThanOrEqualTo(worstHold.minusSeconds(1)).isLessThanOrEqualTo(locks.lease());
        assertThat(locks.lease()).isGreaterThanOrEqualTo(worstHold);
    }

    @Test
    void producesIdempotentlyAndNeverWaitsLongerThanTheSendTimeout() {
        Map<String, Object> config = producers.getConfigurationProperties();

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(JacksonJsonSerializer.ADD_TYPE_INFO_HEADERS, "false");
        assertThat(config.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)).isEqualTo(JacksonJsonSerializer.class);
        assertThat(Long.parseLong(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString()))
                .isLessThan(settings.sendTimeout().toMillis());
        assertThat(Long.parseLong(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString()))
                .isLessThanOrEqualTo(settings.sendTimeout().toMillis());
    }

    /** A request with a token carrying these claims, which must be accepted; the event it sent. */
    private JsonNode eventOfAcceptedRequest(long userId, String email, String username) {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        String token = TestTokens.sign(TestTokens.SECRET, claims -> claims.subject(Long.toString(userId))
                .claim("email", email).claim("preferred_username", username));

        Reply reply = gateway.requestCoupon(couponId, token);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return JSON.readTree(IssueRequestedTopic.recordsOf(couponId).getFirst().value());
    }

    private double counter(String name, String tag, String value) {
        var counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private boolean lockHeld(long couponId, long userId) {
        return redisson.getBucket(CouponKeys.of(couponId).userLock(userId)).isExists();
    }

    /** Another request of the user, holding its lock (as issue-precheck.lua takes it) until released. */
    private HeldElsewhere holdLockOf(long couponId, long userId) {
        RBucket<String> lock = redisson.getBucket(CouponKeys.of(couponId).userLock(userId), StringCodec.INSTANCE);
        assertThat(lock.setIfAbsent(RequestId.newFor(couponId).toString(), Duration.ofSeconds(30))).isTrue();
        return new HeldElsewhere(lock);
    }

    private record HeldElsewhere(RBucket<String> lock) {

        void release() {
            lock.delete();
        }
    }
}
