package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponKeys;

class CouponLifecycleIntegrationTest extends AdminIntegrationTest {

    private String state(long id) {
        return jdbc.sql("SELECT state FROM coupon WHERE id = ?").param(id).query(String.class).single();
    }

    private CouponState redisState(long id) {
        return couponRedis.coupon(id).orElseThrow().state();
    }

    @Test
    void pausesAndResumesAndPublishesEachState() throws Exception {
        long id = createOpenCoupon("PAUSE");

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause")))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.state").value("PAUSED"))
                .andExpect(jsonPath("$.status").value("PAUSED"));
        assertThat(redisState(id)).isEqualTo(CouponState.PAUSED);

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume")))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"2\""))
                .andExpect(jsonPath("$.state").value("ACTIVE"))
                .andExpect(jsonPath("$.status").value("OPEN"));
        assertThat(redisState(id)).isEqualTo(CouponState.ACTIVE);
    }

    @Test
    void closingIsFinal() throws Exception {
        long id = createOpenCoupon("CLOSE");

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("CLOSED"))
                .andExpect(jsonPath("$.status").value("CLOSED"));
        assertThat(redisState(id)).isEqualTo(CouponState.CLOSED);

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("ISSUANCE_ENDED"));
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("ISSUANCE_ENDED"));
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close")))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""));

        assertThat(state(id)).isEqualTo("CLOSED");
        assertThat(redisState(id)).isEqualTo(CouponState.CLOSED);
    }

    @Test
    void retriesStateChangeWhenWorkerBumpsVersionMeanwhile() throws Exception {
        long id = createOpenCoupon("RIDE-OUT");
        hookableClock().onNextReads(1, () -> bumpVersionElsewhere(id));

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("PAUSED"))
                .andExpect(jsonPath("$.version").value(2));

        assertThat(redisState(id)).isEqualTo(CouponState.PAUSED);
    }

    @Test
    void givesUpWithServiceUnavailableAfterBoundedRetries() throws Exception {
        long id = createOpenCoupon("GIVE-UP");
        // every attempt reads the clock once before its UPDATE fails; five attempts are configured
        hookableClock().onNextReads(5, () -> bumpVersionElsewhere(id));

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close")))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"))
                // rushcoupon.web.retry-after, 2s by default: every 503 tells the client when to come back
                .andExpect(header().string("Retry-After", "2"));

        assertThat(state(id)).isEqualTo("ACTIVE");
        assertThat(version(id)).isEqualTo(5);
    }

    @Test
    void answersNotFoundForStateChangeOfUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(post(COUPONS + "/77/pause")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }

    @Test
    void keepsDatabaseChangeWhenRedisIsDownAndReconcileRepairsIt() throws Exception {
        long id = createOpenCoupon("REDIS-DOWN");
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).publish(any());

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("PAUSED"));

        assertThat(state(id)).isEqualTo("PAUSED");
        assertThat(redisState(id)).isEqualTo(CouponState.ACTIVE);

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/reconcile"))).andExpect(status().isOk());
        assertThat(redisState(id)).isEqualTo(CouponState.PAUSED);
    }

    @Test
    void publishesNothingForRefusedChange() throws Exception {
        long id = createOpenCoupon("REFUSED");
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close"))).andExpect(status().isOk());
        clearInvocations(couponRedis);

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume"))).andExpect(status().isConflict());
        mvc.perform(json(post(COUPONS), couponJson("REFUSED"))).andExpect(status().isConflict());

        verify(couponRedis, never()).publish(any());
    }

    @Test
    void deletesCouponAndItsRedisState() throws Exception {
        long id = createOpenCoupon("DELETE");
        redisson.getMap(CouponKeys.of(id).users(), StringCodec.INSTANCE).put("9", id + "-x");

        mvc.perform(asAdmin(delete(COUPONS + "/" + id))).andExpect(status().isNoContent());

        mvc.perform(asAdmin(get(COUPONS + "/" + id))).andExpect(status().isNotFound());
        assertThat(couponRedis.coupon(id)).isEmpty();
        assertThat(redisson.getKeys().countExists(CouponKeys.of(id).stateKeys().toArray(String[]::new))).isZero();
    }

    @Test
    void refusesToDeleteCouponWithIssuances() throws Exception {
        long id = createOpenCoupon("HELD");
        issue(id, 3, id + "-00000000-0000-0000-0000-000000000003", Instant.now());

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_HAS_ISSUANCES"));

        assertThat(count("coupon")).isEqualTo(1);
        assertThat(couponRedis.coupon(id)).isPresent();
        verify(couponRedis, never()).remove(anyLong());
    }

    @Test
    void refusesToDeleteCouponWithRequestsPendingInRedis() throws Exception {
        long id = createOpenCoupon("PENDING");
        redisson.getScoredSortedSet(CouponKeys.of(id).pending(), StringCodec.INSTANCE)
                .add(System.currentTimeMillis(), id + "-00000000-0000-0000-0000-000000000001");

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_HAS_ISSUANCES"));
        assertThat(count("coupon")).isEqualTo(1);
    }

    @Test
    void answersServiceUnavailableWithRetryAfterWhenRedisIsDownForADelete() throws Exception {
        long id = createOpenCoupon("DELETE-DOWN");
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).pendingCount(anyLong());

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"))
                .andExpect(header().string("Retry-After", "2"));

        assertThat(count("coupon")).isEqualTo(1);
        verify(couponRedis, never()).remove(anyLong());
    }

    @Test
    void answersNotFoundWhenDeletingUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(delete(COUPONS + "/12345")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }
}
