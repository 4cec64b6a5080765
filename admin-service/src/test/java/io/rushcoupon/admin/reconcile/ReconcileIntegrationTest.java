package io.rushcoupon.admin.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;

class ReconcileIntegrationTest extends AdminIntegrationTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private long couponWithIssued(String code, long... users) throws Exception {
        long id = createCoupon(code, 10, T0.minusSeconds(3600), T0.plusSeconds(86_400));
        for (long user : users) {
            issue(id, user, requestId(id, user), T0);
        }
        return id;
    }

    private static String requestId(long couponId, long user) {
        return couponId + "-00000000-0000-0000-0000-0000000000" + user;
    }

    @Test
    void rebuildsLostRedisStateFromPostgresIncludingIssuedUsers() throws Exception {
        long id = couponWithIssued("REBUILD", 11, 12, 13);
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());
        redisson.getKeys().flushdb();

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issued").value(3))
                .andExpect(jsonPath("$.remaining").value(7))
                .andExpect(jsonPath("$.redisRemaining").value(7))
                .andExpect(jsonPath("$.consistent").value(true));

        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.state()).isEqualTo(CouponState.PAUSED);
        assertThat(view.totalQuantity()).isEqualTo(10);
        assertThat(view.remaining()).isEqualTo(7);
        assertThat(view.name()).isEqualTo("Coupon REBUILD");
        assertThat(redisson.<String, String>getMap(CouponKeys.of(id).users(), StringCodec.INSTANCE).readAllMap())
                .isEqualTo(Map.of("11", requestId(id, 11), "12", requestId(id, 12), "13", requestId(id, 13)));
    }

    @Test
    void restoresIssuedStatusesSoAnIssuedUserPollsIssuedAndIsRefusedAsDuplicate() throws Exception {
        long id = couponWithIssued("STATUSES", 11, 12);
        redisson.getKeys().flushdb();

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile"))).andExpect(status().isOk());

        RequestView request = couponRedis.request(RequestId.tryParse(requestId(id, 11))).orElseThrow();
        assertThat(request.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(request.userId()).isEqualTo(11);
        assertThat(request.issuedAt()).isEqualTo(T0);
        assertThat(couponRedis.request(RequestId.tryParse(requestId(id, 12)))).map(RequestView::status)
                .hasValue(IssueStatus.ISSUED);
        PrecheckResult again = couponRedis.precheck(RequestId.newFor(id), 11, null, null, Duration.ofHours(1));
        assertThat(again.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(again.requestId()).isEqualTo(requestId(id, 11));
    }

    @Test
    void restoresUsersAndStatusesEvenWhenTheCouponHashSurvived() throws Exception {
        long id = couponWithIssued("HASH-KEPT", 11);
        // Redis kept the coupon's hash but lost the users and the request statuses
        redisson.getKeys().delete(CouponKeys.of(id).users(),
                CouponKeys.of(id).request(RequestId.tryParse(requestId(id, 11))));

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile"))).andExpect(status().isOk());

        assertThat(couponRedis.request(RequestId.tryParse(requestId(id, 11)))).map(RequestView::status)
                .hasValue(IssueStatus.ISSUED);
        assertThat(couponRedis.precheck(RequestId.newFor(id), 11, null, null, Duration.ofHours(1)).outcome())
                .isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
    }

    @Test
    void holdsBackUnitsOfRequestsStillPending() throws Exception {
        long id = couponWithIssued("PENDING", 11);
        redisson.getKeys().delete(CouponKeys.of(id).coupon());
        var pending = redisson.getScoredSortedSet(CouponKeys.of(id).pending(), StringCodec.INSTANCE);
        pending.add(T0.toEpochMilli(), requestId(id, 21));
        pending.add(T0.toEpochMilli(), requestId(id, 22));

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remaining").value(9))
                .andExpect(jsonPath("$.redisRemaining").value(7))
                .andExpect(jsonPath("$.pendingInRedis").value(2))
                .andExpect(jsonPath("$.consistent").value(false));
    }

    @Test
    void answersServiceUnavailableWhenRedisIsDown() throws Exception {
        long id = couponWithIssued("DOWN", 11);
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).copyPendingIfMissing(anyLong(), any());

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile")))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"));
    }

    @Test
    void answersNotFoundForUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(post(COUPONS + "/31337/reconcile")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }
}
