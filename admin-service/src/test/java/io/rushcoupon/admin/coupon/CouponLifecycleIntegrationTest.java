package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;

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
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).publishSettings(any());

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("PAUSED"));

        assertThat(state(id)).isEqualTo("PAUSED");
        assertThat(redisState(id)).isEqualTo(CouponState.ACTIVE);

        // Redis is back
        doCallRealMethod().when(couponRedis).publishSettings(any());
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
        verify(couponRedis, never()).publishSettings(any());
    }

    private long pausedCoupon(String code) throws Exception {
        long id = createOpenCoupon(code);
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());
        return id;
    }

    private void reject(long couponId, long userId) {
        jdbc.sql("INSERT INTO issue_rejection (request_id, coupon_id, user_id, reason) VALUES (?, ?, ?, 'SOLD_OUT')")
                .params(RequestId.newFor(couponId).toString(), couponId, userId).update();
    }

    private long rejections(long couponId) {
        return jdbc.sql("SELECT count(*) FROM issue_rejection WHERE coupon_id = ?").param(couponId)
                .query(Long.class).single();
    }

    private long redisStateKeys(long couponId) {
        return redisson.getKeys().countExists(CouponKeys.of(couponId).stateKeys().toArray(String[]::new));
    }

    @Test
    void deletesAPausedCouponWithItsRejectionsAndRedisState() throws Exception {
        long id = pausedCoupon("DELETE");
        long other = createOpenCoupon("OTHER");
        redisson.getMap(CouponKeys.of(id).users(), StringCodec.INSTANCE).put("9", id + "-x");
        reject(id, 9);
        reject(id, 10);
        reject(other, 9);

        mvc.perform(asAdmin(delete(COUPONS + "/" + id))).andExpect(status().isNoContent());

        mvc.perform(asAdmin(get(COUPONS + "/" + id))).andExpect(status().isNotFound());
        assertThat(couponRedis.coupon(id)).isEmpty();
        assertThat(redisStateKeys(id)).isZero();
        assertThat(rejections(id)).isZero();
        assertThat(rejections(other)).isEqualTo(1);
    }

    @Test
    void deletesACouponWhoseWindowIsOverWithoutPausingIt() throws Exception {
        long id = createOpenCoupon("ENDED");
        Instant ended = Instant.now().minusSeconds(60);
        jdbc.sql("UPDATE coupon SET issue_starts_at = ?, issue_ends_at = ? WHERE id = ?")
                .params(Timestamp.from(ended.minusSeconds(3600)), Timestamp.from(ended), id).update();
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE)
                .put("endsAt", Long.toString(ended.toEpochMilli()));

        mvc.perform(asAdmin(delete(COUPONS + "/" + id))).andExpect(status().isNoContent());

        assertThat(count("coupon")).isZero();
        assertThat(redisStateKeys(id)).isZero();
    }

    /**
     * The race of a delete with a running drop: a request admitted between the delete's look at
     * Redis and its delete of the row would be left pending for a coupon that no longer exists.
     */
    @Test
    void refusesToDeleteACouponThatMayStillAdmitSoNoRequestOutlivesIt() throws Exception {
        long id = createOpenCoupon("RUSHING");
        AtomicReference<RequestId> admitted = new AtomicReference<>();
        // the gateway admits a request right after the delete looked at what is pending
        doAnswer(invocation -> {
            Object pending = invocation.callRealMethod();
            admitted.set(admit(id, 5));
            return pending;
        }).when(couponRedis).pendingCount(id);

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_ACTIVE"));

        // the drop goes on: whatever is admitted now still has its coupon
        RequestId request = admitted.get() != null ? admitted.get() : admit(id, 5);
        assertThat(count("coupon")).isEqualTo(1);
        assertThat(couponRedis.pendingSince(id, Instant.now().plusSeconds(1), 10)).containsExactly(request);
    }

    @Test
    void refusesToDeleteWhileRedisStillAdmitsForACouponPausedOnlyInPostgres() throws Exception {
        long id = pausedCoupon("STALE-PAUSE");
        // the pause's publication was lost: the gateway still admits
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE).put("state", "ACTIVE");

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_ACTIVE"));

        assertThat(count("coupon")).isEqualTo(1);
        assertThat(redisState(id)).isEqualTo(CouponState.ACTIVE);
        admit(id, 5);
    }

    @Test
    void refusesToDeleteCouponWithIssuances() throws Exception {
        long id = pausedCoupon("HELD");
        issue(id, 3, id + "-00000000-0000-0000-0000-000000000003", Instant.now());
        reject(id, 4);

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_HAS_ISSUANCES"));

        assertThat(count("coupon")).isEqualTo(1);
        assertThat(rejections(id)).isEqualTo(1);
        assertThat(couponRedis.coupon(id)).isPresent();
        verify(couponRedis, never()).remove(anyLong());
    }

    @Test
    void refusesToDeleteCouponWithRequestsPendingInRedis() throws Exception {
        long id = createOpenCoupon("PENDING");
        admit(id, 1);
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_HAS_ISSUANCES"));

        assertThat(count("coupon")).isEqualTo(1);
        assertThat(couponRedis.coupon(id)).isPresent();
        assertThat(couponRedis.pendingCount(id)).isEqualTo(1);
    }

    @Test
    void restoresRedisStateWhenTheDeleteDoesNotCommit() throws Exception {
        long id = pausedCoupon("NO-COMMIT");
        doAnswer(invocation -> {
            Object removal = invocation.callRealMethod();
            CouponUpdateIntegrationTest.failTheCommit();
            return removal;
        }).when(couponRedis).remove(id);

        mvc.perform(asAdmin(delete(COUPONS + "/" + id))).andExpect(status().isInternalServerError());

        assertThat(count("coupon")).isEqualTo(1);
        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.state()).isEqualTo(CouponState.PAUSED);
        assertThat(view.remaining()).isEqualTo(100);
    }

    @Test
    void answersServiceUnavailableWithRetryAfterWhenRedisIsDownForADelete() throws Exception {
        long id = pausedCoupon("DELETE-DOWN");
        reject(id, 4);
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).remove(anyLong());

        mvc.perform(asAdmin(delete(COUPONS + "/" + id)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"))
                .andExpect(header().string("Retry-After", "2"));

        assertThat(count("coupon")).isEqualTo(1);
        assertThat(rejections(id)).isEqualTo(1);
    }

    @Test
    void answersNotFoundWhenDeletingUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(delete(COUPONS + "/12345")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }
}
