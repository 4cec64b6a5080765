package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.http.HttpHeaders;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;

/** What an admin change tells Redis after its commit, and what it leaves to the stock scripts. */
class CouponPublicationIntegrationTest extends AdminIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static String requestId(long couponId, long user) {
        return couponId + "-00000000-0000-0000-0000-0000000000" + user;
    }

    /** 10 units, users 11 and 12 issued; version 2. */
    private long couponWithIssued(String code) throws Exception {
        long id = createCoupon(code, 10, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));
        issue(id, 11, requestId(id, 11), NOW);
        issue(id, 12, requestId(id, 12), NOW);
        return id;
    }

    /** Redis lost the coupon: the issued user polls ISSUED again and is refused a second unit. */
    private void assertIssuedUsersRestored(long id) {
        RequestView status = couponRedis.request(RequestId.tryParse(requestId(id, 11))).orElseThrow();
        assertThat(status.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(status.userId()).isEqualTo(11);
        PrecheckResult retry = couponRedis.precheck(RequestId.newFor(id), 11, null, null,
                Duration.ofHours(1));
        assertThat(retry.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(retry.requestId()).isEqualTo(requestId(id, 11));
    }

    @Test
    void restoresIssuedUsersAndStatusesWhenAnUpdateFindsTheCouponMissingFromRedis() throws Exception {
        long id = couponWithIssued("LOST-UPDATE");
        redisson.getKeys().flushdb();

        mvc.perform(json(patch(COUPONS + "/" + id), "{\"name\":\"After the loss\"}").header(HttpHeaders.IF_MATCH, "\"2\""))
                .andExpect(status().isOk());

        assertIssuedUsersRestored(id);
        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.name()).isEqualTo("After the loss");
        assertThat(view.remaining()).isEqualTo(8);
    }

    @Test
    void restoresIssuedUsersAndStatusesWhenAPauseFindsTheCouponMissingFromRedis() throws Exception {
        long id = couponWithIssued("LOST-PAUSE");
        redisson.getKeys().flushdb();

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());

        assertIssuedUsersRestored(id);
        assertThat(couponRedis.coupon(id).orElseThrow().state()).isEqualTo(CouponState.PAUSED);
    }

    @Test
    void publishesSettingsButNeverTheStockOfACouponRedisHas() throws Exception {
        long id = createCoupon("SETTINGS-ONLY", 100, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));
        admit(id, 7);
        // Redis's total is not PostgreSQL's (an earlier publication was lost); its stock is right
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE).put("total", "90");

        mvc.perform(json(patch(COUPONS + "/" + id), "{\"name\":\"Renamed\"}").header(HttpHeaders.IF_MATCH, "\"0\""))
                .andExpect(status().isOk());

        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.name()).isEqualTo("Renamed");
        assertThat(view.totalQuantity()).isEqualTo(100);
        // PostgreSQL's 100 less the one pending, as before the change
        assertThat(view.remaining()).isEqualTo(99);
    }
}
