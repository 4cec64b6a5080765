package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
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
 * gateway recovers on its own.
 */
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

    @Test
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

    private Map<String, String> users(long couponId) {
        return redisson.<String, String>getMap(CouponKeys.of(couponId).users(), StringCodec.INSTANCE).readAllMap();
    }

    private double count(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
