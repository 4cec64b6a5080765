package io.rushcoupon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.gateway.support.GatewayClient;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.testsupport.TestTokens;

/**
 * A gateway whose Redis is down (nothing listens on its port): it starts, stays live, and answers
 * every Redis-backed request with a quick 503 problem, never a 500 or a hang. Not a
 * {@code @RealServerTest}: that would point Redis at the real server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisUnavailableIntegrationTest {

    @DynamicPropertySource
    static void redisDown(DynamicPropertyRegistry registry) {
        int closed = FreePorts.closed();
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> closed);
        // Kafka is never reached: the request stops at Redis
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + closed);
        registry.add("rushcoupon.jwt.secret", () -> TestTokens.SECRET);
        registry.add("server.address", () -> "127.0.0.1");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    GatewayProperties settings;

    @Value("${spring.data.redis.timeout}")
    Duration redisTimeout;

    @Value("${spring.data.redis.connect-timeout}")
    Duration redisConnectTimeout;

    GatewayClient gateway;

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
    }

    @Test
    void answersIssueRequestsWithAQuickUnavailable() {
        double before = unavailableCount();

        Reply reply = timed(() -> gateway.requestCoupon(42, TestTokens.user(7)));

        assertUnavailable(reply);
        assertThat(unavailableCount()).isEqualTo(before + 1);
        // the one admission script (rate limit, pre-check and lock) finds Redis down: counted as a
        // lock error, and never retried as if the lock were taken
        assertThat(meters.find(MetricNames.LOCK_WAIT).tag(MetricNames.RESULT, "error").timer().count()).isEqualTo(1);
        assertThat(meters.find(MetricNames.LOCK_WAIT).tag(MetricNames.RESULT, "acquired").timer().count()).isZero();
        assertThat(meters.find(MetricNames.LOCK_WAIT).tag(MetricNames.RESULT, "timeout").timer().count()).isZero();
    }

    @Test
    void answersStatusAndCouponReadsWithAQuickUnavailable() {
        List<Reply> replies = List.of(
                timed(() -> gateway.get("/api/v1/coupons/42", null)),
                timed(() -> gateway.get("/api/v1/issue-requests/" + RequestId.newFor(42), TestTokens.user(7))));

        replies.forEach(RedisUnavailableIntegrationTest::assertUnavailable);
    }

    @Test
    void staysLiveWhileRedisIsDown() {
        Reply liveness = gateway.get("/actuator/health/liveness", null);

        assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("UP");
    }

    /**
     * Bounded by the configured Redis settings, not a fixed figure: every attempt Redisson makes may
     * take its connect timeout and its response timeout plus the retry delay; twice that worst case
     * still tells a bounded answer from a hang on a busy 2-core machine.
     */
    private Reply timed(Supplier<Reply> call) {
        Duration worstCase = settings.redisRetryDelay().plus(redisConnectTimeout).plus(redisTimeout)
                .multipliedBy(settings.redisRetryAttempts() + 1L);
        long start = System.nanoTime();
        Reply reply = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("answered in %s: %s", took, reply).isLessThan(worstCase.multipliedBy(2));
        return reply;
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.code()).isEqualTo("UNAVAILABLE");
        assertThat(reply.header("Retry-After")).isEqualTo("2");
    }

    private double unavailableCount() {
        var counter = meters.find(MetricNames.ISSUE_REQUESTS).tag(MetricNames.OUTCOME, "unavailable").counter();
        return counter == null ? 0 : counter.count();
    }
}
