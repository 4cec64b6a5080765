package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.IssueRequestedTopic;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway whose own clock is two hours behind: admission follows Redis's clock, not the
 * gateway's, so gateways with different clocks decide a window alike and the reconciler compares
 * pending scores on the clock that wrote them (finding 11 of issue #12).
 */
@Import(RedisTimeIntegrationTest.SkewedClock.class)
class RedisTimeIntegrationTest extends GatewayIntegrationTest {

    private static final Duration SKEW = Duration.ofHours(2);

    @TestConfiguration(proxyBeanMethods = false)
    static class SkewedClock {

        @Bean
        Clock clock() {
            return Clock.offset(Clock.systemUTC(), SKEW.negated());
        }
    }

    @Test
    void admitsByRedisTimeWhenTheGatewaysClockIsWrong() {
        long couponId = TestCoupons.newId();
        Instant redisNow = couponRedis.time(couponId);
        // open on Redis's clock; on the gateway's it has not started yet
        Reply reply = requestWhileOpen(couponId, redisNow.minus(Duration.ofMinutes(1)), redisNow.plus(Duration.ofHours(1)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String requestId = reply.text("requestId");
        Double score = redisson.getScoredSortedSet(CouponKeys.of(couponId).pending(), StringCodec.INSTANCE)
                .getScore(requestId);
        assertThat(score).as("pending score").isNotNull();
        Instant after = couponRedis.time(couponId);
        assertThat(Instant.ofEpochMilli(score.longValue())).isBetween(redisNow.truncatedTo(ChronoUnit.MILLIS), after);
        assertThat(couponRedis.request(RequestId.tryParse(requestId)).orElseThrow().requestedAt())
                .isEqualTo(Instant.ofEpochMilli(score.longValue()));
        String requestedAt = JsonMapper.builder().build()
                .readTree(IssueRequestedTopic.recordsOf(couponId).getFirst().value()).get("requestedAt").asString();
        assertThat(Instant.parse(requestedAt)).isCloseTo(Instant.ofEpochMilli(score.longValue()), within(1, ChronoUnit.MILLIS));
    }

    @Test
    void refusesByRedisTimeOnceTheWindowEndedThoughTheGatewaysClockSaysItIsOpen() {
        long couponId = TestCoupons.newId();
        Instant redisNow = couponRedis.time(couponId);
        // ended a minute ago on Redis's clock; open on the gateway's
        Reply reply = requestWhileOpen(couponId, redisNow.minus(Duration.ofHours(3)), redisNow.minus(Duration.ofMinutes(1)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.code()).isEqualTo("ISSUANCE_ENDED");
        assertThat(couponRedis.pendingCount(couponId)).isZero();
    }

    /** A request of user 7 for a coupon open from {@code startsAt} to {@code endsAt}. */
    private Reply requestWhileOpen(long couponId, Instant startsAt, Instant endsAt) {
        couponRedis.publish(TestCoupons.window(TestCoupons.open(couponId, 5), startsAt, endsAt));
        return gateway.requestCoupon(couponId, TestTokens.user(7));
    }
}
