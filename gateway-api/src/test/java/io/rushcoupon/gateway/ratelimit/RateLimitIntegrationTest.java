package io.rushcoupon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.gateway.GatewayApplication;
import io.rushcoupon.gateway.support.ConfiguredGatewayIntegrationTest;
import io.rushcoupon.gateway.support.GatewayClient;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.RealServersInitializer;

/**
 * The per-user rate limit: 10 requests per user and coupon per window (5 s here, so a loaded
 * machine sends 11 well within one window), counted in Redis.
 */
class RateLimitIntegrationTest extends ConfiguredGatewayIntegrationTest {

    private static final int LIMIT = 10;

    @Autowired
    MeterRegistry meters;

    @Test
    void refusesTheEleventhRequestWithinTheWindowWithRetryAfter() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 50));
        double limitedBefore = rateLimitedCount();

        List<Reply> allowed = send(gateway, couponId, 7, LIMIT);
        Reply eleventh = gateway.requestCoupon(couponId, token(7));

        assertThat(allowed.getFirst().status()).isEqualTo(202);
        assertThat(allowed).extracting(Reply::code).doesNotContain("RATE_LIMITED");
        assertThat(eleventh.status()).as(eleventh.toString()).isEqualTo(429);
        assertThat(eleventh.contentType()).startsWith("application/problem+json");
        assertThat(eleventh.code()).isEqualTo("RATE_LIMITED");
        assertThat(Integer.parseInt(eleventh.header("Retry-After"))).isBetween(1, RATE_WINDOW_SECONDS);
        assertThat(rateLimitedCount()).isEqualTo(limitedBefore + 1);
        // another user, and the same user on another coupon, are not affected
        assertThat(gateway.requestCoupon(couponId, token(8)).status()).isEqualTo(202);
        long otherCoupon = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(otherCoupon, 5));
        assertThat(gateway.requestCoupon(otherCoupon, token(7)).status()).isEqualTo(202);
        // refused before the lock and the admitting script: still one unit per user
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isEqualTo(48);
    }

    @Test
    void sharesTheCountAcrossGatewayInstances() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 50));
        try (ConfigurableApplicationContext second = startSecondGateway()) {
            GatewayClient other = new GatewayClient(second.getEnvironment().getRequiredProperty("local.server.port",
                    Integer.class));

            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < LIMIT / 2; i++) {
                replies.add(gateway.requestCoupon(couponId, token(9)));
                replies.add(other.requestCoupon(couponId, token(9)));
            }
            Reply fromFirst = gateway.requestCoupon(couponId, token(9));
            Reply fromSecond = other.requestCoupon(couponId, token(9));

            assertThat(replies).extracting(Reply::code).doesNotContain("RATE_LIMITED");
            assertThat(fromFirst.code()).as(fromFirst.toString()).isEqualTo("RATE_LIMITED");
            assertThat(fromSecond.code()).as(fromSecond.toString()).isEqualTo("RATE_LIMITED");
        }
    }

    @Test
    void letsTheUserAskAgainOnceTheWindowEnds() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 50));
        send(gateway, couponId, 11, LIMIT);
        assertThat(gateway.requestCoupon(couponId, token(11)).code()).isEqualTo("RATE_LIMITED");
        String counter = CouponKeys.of(couponId).userRate(11);
        assertThat(redisson.getBucket(counter, StringCodec.INSTANCE).remainTimeToLive())
                .as("the counter expires with its window").isBetween(1L, RATE_WINDOW_SECONDS * 1000L);

        await().atMost(Duration.ofSeconds(RATE_WINDOW_SECONDS * 4L)).pollInterval(Duration.ofMillis(500))
                .until(() -> !redisson.getBucket(counter).isExists());

        Reply again = gateway.requestCoupon(couponId, token(11));
        assertThat(again.code()).as(again.toString()).isEqualTo("DUPLICATE_REQUEST");
    }

    @Test
    void countsNothingForACouponThatDoesNotExist() {
        long unknown = TestCoupons.newId();

        List<Reply> replies = send(gateway, unknown, 12, LIMIT + 5);

        assertThat(replies).extracting(Reply::code).containsOnly("COUPON_NOT_FOUND");
        assertThat(redisson.getKeys().getKeysByPattern("rc:{c:" + unknown + "}:*")).isEmpty();
    }

    private static List<Reply> send(GatewayClient client, long couponId, long userId, int times) {
        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            replies.add(client.requestCoupon(couponId, token(userId)));
        }
        return replies;
    }

    private double rateLimitedCount() {
        var counter = meters.find(MetricNames.ISSUE_REQUESTS).tag(MetricNames.OUTCOME, "rate_limited").counter();
        return counter == null ? 0 : counter.count();
    }

    /** A second gateway on the same Redis and Kafka, configured like this test's. */
    private static ConfigurableApplicationContext startSecondGateway() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .initializers(new RealServersInitializer())
                .run("--server.port=0",
                        "--rushcoupon.jwt.issuer=" + ISSUER,
                        "--rushcoupon.jwt.audience=" + AUDIENCE,
                        "--rushcoupon.gateway.rate-limit.requests=" + LIMIT,
                        "--rushcoupon.gateway.rate-limit.window=" + RATE_WINDOW_SECONDS + "s",
                        "--management.server.port=-1");
    }
}
