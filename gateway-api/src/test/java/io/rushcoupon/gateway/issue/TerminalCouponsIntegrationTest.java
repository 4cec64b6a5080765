package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.Compensation;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Refusals after a sell-out from the gateway's memory, and never once admission may reopen. The
 * trust is long here, so only the invalidation through Redis can end a cached sell-out in time.
 */
@TestPropertySource(properties = "rushcoupon.gateway.terminal-cache.trust=10m")
class TerminalCouponsIntegrationTest extends GatewayIntegrationTest {

    /** Users no other test of this class uses, so each click is a first one. */
    private static final AtomicLong USERS = new AtomicLong(1_000);

    /** Far below the trust: long enough for a busy machine, short enough to tell invalidation from expiry. */
    private static final Duration LEARNING = Duration.ofSeconds(20);

    @Autowired
    MeterRegistry meters;

    @Test
    void refusesASoldOutCouponWithoutRedisButTellsItsOwnUserDuplicate() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 1));
        long owner = USERS.incrementAndGet();
        assertThat(gateway.requestCoupon(couponId, TestTokens.user(owner)).status()).isEqualTo(202);
        double before = cacheRefusals();

        // the first refusals come from Redis; the later ones, once learned, from memory
        await().atMost(LEARNING).until(() -> {
            Reply refused = gateway.requestCoupon(couponId, TestTokens.user(USERS.incrementAndGet()));
            assertThat(refused.code()).isEqualTo("SOLD_OUT");
            return cacheRefusals() > before;
        });
        Reply ownersSecondClick = gateway.requestCoupon(couponId, TestTokens.user(owner));

        assertThat(ownersSecondClick.code()).as("the user's own request first, from Redis").isEqualTo("DUPLICATE_REQUEST");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isZero();
    }

    @Test
    void admitsAgainAtOnceWhenAUnitComesBack() {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, 1));
        long owner = USERS.incrementAndGet();
        Reply admitted = gateway.requestCoupon(couponId, TestTokens.user(owner));
        double before = cacheRefusals();
        await().atMost(LEARNING).until(() -> {
            gateway.requestCoupon(couponId, TestTokens.user(USERS.incrementAndGet()));
            return cacheRefusals() > before;
        });

        // as when Kafka refused the send: the unit goes back, and the script tells every gateway
        assertThat(couponRedis.compensate(Objects.requireNonNull(RequestId.tryParse(admitted.text("requestId"))), owner)).isEqualTo(Compensation.UNDONE);

        long next = USERS.incrementAndGet();
        await().atMost(LEARNING).until(() -> gateway.requestCoupon(couponId, TestTokens.user(next)).status() == 202);
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isZero();
    }

    private double cacheRefusals() {
        var counter = meters.find(MetricNames.TERMINAL_CACHE_REFUSALS).counter();
        return counter == null ? 0 : counter.count();
    }
}
