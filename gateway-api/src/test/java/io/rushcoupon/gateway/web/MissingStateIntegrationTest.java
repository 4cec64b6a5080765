package io.rushcoupon.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.testsupport.TestTokens;

/** After Redis restarted empty and before the reconciler restored it, nothing is called "not found". */
class MissingStateIntegrationTest extends GatewayIntegrationTest {

    private long couponId;

    @BeforeEach
    void redisRestartedEmpty() {
        couponId = TestCoupons.newId();
        redisson.getBucket(CouponKeys.STATE_LOADED).delete();
    }

    @Test
    void answersUnavailableInsteadOfCouponNotFoundWhileStateIsBeingRestored() {
        Reply issue = gateway.requestCoupon(couponId, TestTokens.user(1));
        Reply details = gateway.get("/api/v1/coupons/" + couponId, null);

        assertThat(issue.status()).isEqualTo(503);
        assertThat(issue.code()).isEqualTo("UNAVAILABLE");
        assertThat(issue.header("Retry-After")).isNotBlank();
        assertThat(details.status()).isEqualTo(503);
        assertThat(details.code()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void answersUnavailableInsteadOfRequestNotFoundWhileStateIsBeingRestored() {
        Reply status = gateway.get("/api/v1/issue-requests/" + RequestId.newFor(couponId), TestTokens.user(1));

        assertThat(status.status()).isEqualTo(503);
        assertThat(status.code()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void answersNotFoundAgainOnceTheReconcilerMarkedTheStateLoaded() {
        couponRedis.markStateLoaded(couponRedis.startStateRound(), Instant.now());

        assertThat(gateway.requestCoupon(couponId, TestTokens.user(1)).code()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(gateway.get("/api/v1/coupons/" + couponId, null).code()).isEqualTo("COUPON_NOT_FOUND");
        assertThat(gateway.get("/api/v1/issue-requests/" + RequestId.newFor(couponId), TestTokens.user(1)).code())
                .isEqualTo("REQUEST_NOT_FOUND");
    }
}
