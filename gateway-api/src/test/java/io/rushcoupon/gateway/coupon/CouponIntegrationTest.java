package io.rushcoupon.gateway.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;

class CouponIntegrationTest extends GatewayIntegrationTest {

    @Test
    void showsACouponToAnyoneWithoutAToken() {
        long couponId = TestCoupons.newId();
        CouponSnapshot coupon = TestCoupons.open(couponId, 3);
        couponRedis.publish(coupon);
        gateway.requestCoupon(couponId, TestTokens.user(1));

        Reply reply = gateway.get("/api/v1/coupons/" + couponId, null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("couponId").asLong()).isEqualTo(couponId);
        assertThat(reply.text("name")).isEqualTo(coupon.name());
        assertThat(reply.text("status")).isEqualTo("OPEN");
        assertThat(reply.json().get("remaining").asInt()).isEqualTo(2);
        assertThat(Instant.parse(reply.text("issueStartsAt")))
                .isEqualTo(coupon.issueStartsAt().truncatedTo(ChronoUnit.MILLIS));
        assertThat(Instant.parse(reply.text("issueEndsAt"))).isEqualTo(coupon.issueEndsAt().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void derivesTheStatusUsersSee() {
        Instant now = Instant.now();
        long scheduled = TestCoupons.newId();
        couponRedis.publish(TestCoupons.window(TestCoupons.open(scheduled, 3), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2))));
        long paused = TestCoupons.newId();
        couponRedis.publish(TestCoupons.withState(TestCoupons.open(paused, 3), CouponState.PAUSED));
        long soldOut = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(soldOut, 1));
        gateway.requestCoupon(soldOut, TestTokens.user(1));

        assertThat(gateway.get("/api/v1/coupons/" + scheduled, null).text("status")).isEqualTo("SCHEDULED");
        assertThat(gateway.get("/api/v1/coupons/" + paused, null).text("status")).isEqualTo("PAUSED");
        assertThat(gateway.get("/api/v1/coupons/" + soldOut, null).text("status")).isEqualTo("SOLD_OUT");
    }

    @Test
    void answersCouponNotFoundForAnUnknownCoupon() {
        Reply reply = gateway.get("/api/v1/coupons/" + TestCoupons.newId(), null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.code()).isEqualTo("COUPON_NOT_FOUND");
    }

    @Test
    void refusesACouponIdThatIsNotAPositiveNumber() {
        Reply reply = gateway.get("/api/v1/coupons/-1", null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void leavesProbesMetricsAndApiDocsOpenAndEverythingElseClosed() {
        assertThat(gateway.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(gateway.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        Reply prometheus = gateway.get("/actuator/prometheus", null, "text/plain");
        assertThat(prometheus.status()).as(prometheus.toString()).isEqualTo(200);
        assertThat(prometheus.response().body()).contains("rushcoupon_issue_requests_total", "rushcoupon_lock_wait");
        assertThat(gateway.get("/v3/api-docs", null).status()).isEqualTo(200);

        Reply env = gateway.get("/actuator/env", TestTokens.user(1));
        Reply elsewhere = gateway.get("/internal", null);
        assertThat(env.status()).isIn(401, 403);
        assertThat(elsewhere.status()).isEqualTo(401);
        assertThat(elsewhere.code()).isEqualTo("UNAUTHORIZED");
    }
}
