package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.gateway.support.GatewayClient;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.IssueRequestedTopic;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.testsupport.RealServers;
import io.rushcoupon.harness.proxy.TcpProxy;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway whose Kafka is unreachable when it sends: the producer's bootstrap address is a
 * proxy to the shared embedded broker that starts out cut. The record never leaves the client (no
 * metadata within max.block.ms), so the admission must be undone; once the proxy opens, the same
 * gateway recovers on its own. The publisher is a spy only so a test can change Redis while the
 * send is under way; the send itself is real and fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaUnavailableIntegrationTest extends GatewayIntegrationTest {

    private static final TcpProxy KAFKA = cutProxyToKafka();

    private static TcpProxy cutProxyToKafka() {
        TcpProxy proxy = TcpProxy.to(RealServers.get().kafkaBootstrapServers());
        proxy.cut();
        return proxy;
    }

    @DynamicPropertySource
    static void kafkaBehindProxy(DynamicPropertyRegistry registry) {
        // the producer's own bootstrap setting wins over the shared one the test support sets
        registry.add("spring.kafka.producer.bootstrap-servers", () -> "127.0.0.1:" + KAFKA.port());
    }

    @AfterAll
    static void closeProxy() {
        KAFKA.close();
    }

    @Autowired
    MeterRegistry meters;

    @MockitoSpyBean
    IssueEventPublisher publisher;

    /** Opens the proxy for good (the producer then knows the broker): runs last. */
    @Test
    @Order(Integer.MAX_VALUE)
    void undoesTheAdmissionWhileKafkaIsUnreachableAndAcceptsOnceItIsBack() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        GatewayClient gateway = new GatewayClient(port);
        double compensationsBefore = count(MetricNames.COMPENSATIONS);

        Reply refused = gateway.requestCoupon(couponId, TestTokens.user(9));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("UNAVAILABLE");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).as("unit back").isEqualTo(5);
        assertThat(users(couponId)).as("user marker removed").doesNotContainKey("9");
        assertThat(couponRedis.pendingCount(couponId)).isZero();
        assertThat(count(MetricNames.COMPENSATIONS)).isEqualTo(compensationsBefore + 1);
        assertThat(meters.find(MetricNames.KAFKA_SEND).tag(MetricNames.RESULT, "failed").timer())
                .isNotNull().satisfies(timer -> assertThat(timer.count()).isPositive());

        KAFKA.open();
        AtomicReference<Reply> accepted = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Reply retry = gateway.requestCoupon(couponId, TestTokens.user(9));
            // until the producer has found the broker, every retry is undone cleanly again
            assertThat(retry.status()).as(retry.toString()).isIn(202, 503);
            assertThat(retry.status()).isEqualTo(202);
            accepted.set(retry);
        });

        String requestId = accepted.get().text("requestId");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(4);
        assertThat(users(couponId)).containsEntry("9", requestId);
        assertThat(couponRedis.pendingCount(couponId)).isEqualTo(1);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(IssueRequestedTopic.recordsOf(couponId))
                .extracting(record -> json.readTree(record.value()).get("requestId").asString())
                .containsExactly(requestId);
    }

    /**
     * Redis restarts empty while the send is under way: the failed send finds nothing to undo, and
     * the request is known nowhere (no status, not pending), so a 202 would name a request that can
     * never end. The answer is 503 and the user, whose place Redis forgot too, asks again.
     */
    @Test
    void answersUnavailableWhenRedisLostTheRequestBeforeKafkaRefusedIt() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        whileSending(event -> redisson.getKeys().flushdb());

        Reply reply = new GatewayClient(port).requestCoupon(couponId, TestTokens.user(9));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.code()).isEqualTo("UNAVAILABLE");
        assertThat(reply.header("Retry-After")).isEqualTo("2");
    }

    /**
     * The coupon's state vanishes while the send is under way (deleted with Redis's data lost, so
     * the admin's guarded removal did not see the request): nothing pending is left of it.
     */
    @Test
    void answersUnavailableAndLeavesNoPendingStatusWhenTheCouponWasDeletedBeforeKafkaRefusedIt() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        whileSending(event -> {
            sent.add(event.requestId());
            redisson.getKeys().delete(CouponKeys.of(couponId).stateKeys().toArray(String[]::new));
        });

        Reply reply = new GatewayClient(port).requestCoupon(couponId, TestTokens.user(9));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.code()).isEqualTo("UNAVAILABLE");
        assertThat(sent).singleElement().satisfies(requestId ->
                assertThat(couponRedis.request(RequestId.tryParse(requestId))).as("no PENDING status to poll").isEmpty());
    }

    /**
     * The worker decided the request before the gateway saw its own send fail (the reconciler
     * re-sent it meanwhile): there is nothing to undo, its status is there to poll, 202 is honest.
     */
    @Test
    void acceptsWhenTheRequestWasDecidedBeforeKafkaRefusedIt() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 5));
        whileSending(event -> couponRedis.finalizeRequests(couponId,
                List.of(FinalStatus.issued(RequestId.tryParse(event.requestId()), event.userId(), Instant.now())), 4,
                Duration.ofHours(1)));

        Reply reply = new GatewayClient(port).requestCoupon(couponId, TestTokens.user(9));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(couponRedis.request(RequestId.tryParse(reply.text("requestId")))).get()
                .extracting(request -> request.status()).isEqualTo(IssueStatus.ISSUED);
    }

    /** Runs {@code meanwhile} just before the (failing) send of each event. */
    private void whileSending(java.util.function.Consumer<IssueRequested> meanwhile) {
        doAnswer(call -> {
            meanwhile.accept(call.getArgument(0));
            return call.callRealMethod();
        }).when(publisher).publish(any());
    }

    private Map<String, String> users(long couponId) {
        return redisson.<String, String>getMap(CouponKeys.of(couponId).users(), StringCodec.INSTANCE).readAllMap();
    }

    private double count(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
