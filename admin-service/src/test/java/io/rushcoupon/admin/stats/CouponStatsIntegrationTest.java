package io.rushcoupon.admin.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;

class CouponStatsIntegrationTest extends AdminIntegrationTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    private RemainingUnitsGauge gauge;

    @Autowired
    private MeterRegistry registry;

    /** Three units issued a second apart, and Redis told so, as the worker's finalize does. */
    private long couponWithThreeIssued(String code) throws Exception {
        long id = createCoupon(code, 10, T0.minusSeconds(3600), T0.plusSeconds(86_400));
        for (int i = 0; i < 3; i++) {
            issue(id, 100 + i, id + "-00000000-0000-0000-0000-00000000000" + i, T0.plusSeconds(i));
        }
        setRedisRemaining(id, 7);
        return id;
    }

    private void setRedisRemaining(long id, int remaining) {
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE).put("remaining", Integer.toString(remaining));
    }

    @Test
    void reportsConsistentFiguresOnceDrained() throws Exception {
        long id = couponWithThreeIssued("STATS");

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.couponId").value(id))
                .andExpect(jsonPath("$.status").value("OPEN"))
                .andExpect(jsonPath("$.state").value("ACTIVE"))
                .andExpect(jsonPath("$.total").value(10))
                .andExpect(jsonPath("$.issued").value(3))
                .andExpect(jsonPath("$.remaining").value(7))
                .andExpect(jsonPath("$.redisRemaining").value(7))
                .andExpect(jsonPath("$.pendingInRedis").value(0))
                .andExpect(jsonPath("$.redisAvailable").value(true))
                .andExpect(jsonPath("$.firstIssuedAt").value(T0.toString()))
                .andExpect(jsonPath("$.lastIssuedAt").value(T0.plusSeconds(2).toString()))
                .andExpect(jsonPath("$.issuedPerSecond").value(1.5))
                .andExpect(jsonPath("$.issuedRatio").value(0.3))
                .andExpect(jsonPath("$.databaseConsistent").value(true))
                .andExpect(jsonPath("$.drained").value(true))
                .andExpect(jsonPath("$.consistent").value(true));
    }

    @Test
    void reportsInconsistencyWhenRedisDisagrees() throws Exception {
        long id = couponWithThreeIssued("DRIFT");
        setRedisRemaining(id, 8);

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(jsonPath("$.redisRemaining").value(8))
                .andExpect(jsonPath("$.consistent").value(false));
    }

    @Test
    void reportsNotDrainedWhileRequestsArePending() throws Exception {
        long id = couponWithThreeIssued("IN-FLIGHT");
        setRedisRemaining(id, 6);
        redisson.getScoredSortedSet(CouponKeys.of(id).pending(), StringCodec.INSTANCE)
                .add(T0.toEpochMilli(), id + "-00000000-0000-0000-0000-000000000099");

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(jsonPath("$.pendingInRedis").value(1))
                .andExpect(jsonPath("$.drained").value(false))
                .andExpect(jsonPath("$.consistent").value(false));
    }

    @Test
    void reportsMissingRedisState() throws Exception {
        long id = couponWithThreeIssued("LOST");
        redisson.getKeys().delete(CouponKeys.of(id).stateKeys().toArray(String[]::new));

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.redisRemaining").doesNotExist())
                .andExpect(jsonPath("$.redisAvailable").value(true))
                .andExpect(jsonPath("$.consistent").value(false));
    }

    @Test
    void stillAnswersWhenRedisIsDown() throws Exception {
        long id = couponWithThreeIssued("DOWN");
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis).coupon(anyLong());

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remaining").value(7))
                .andExpect(jsonPath("$.redisAvailable").value(false))
                .andExpect(jsonPath("$.drained").doesNotExist())
                .andExpect(jsonPath("$.consistent").value(false));
    }

    /**
     * Five holders: one redeemed, one who cancelled and redeemed again, one past expiresAt still
     * AVAILABLE (derived EXPIRED), one the expiry job marked, one still valid. Another coupon's
     * redemption counts for that coupon only.
     */
    @Test
    void countsRedeemedAndExpiredAndSumsTheStandingDiscount() throws Exception {
        long id = createCoupon("USAGE", 10, T0.minusSeconds(3600), T0.plusSeconds(86_400));
        long other = createCoupon("USAGE-OTHER", 10, T0.minusSeconds(3600), T0.plusSeconds(86_400));
        Instant later = T0.plusSeconds(86_400);
        Instant past = T0.minusSeconds(60);
        long redeemed = issue(id, 1, id + "-00000000-0000-0000-0000-000000000001", T0, later);
        long redeemedAgain = issue(id, 2, id + "-00000000-0000-0000-0000-000000000002", T0, later);
        issue(id, 3, id + "-00000000-0000-0000-0000-000000000003", T0.minusSeconds(120), past);
        long marked = issue(id, 4, id + "-00000000-0000-0000-0000-000000000004", T0.minusSeconds(120), past);
        issue(id, 5, id + "-00000000-0000-0000-0000-000000000005", T0, later);
        long elsewhere = issue(other, 1, other + "-00000000-0000-0000-0000-000000000001", T0, later);
        redeem(redeemed, "order-1", "100.00", "5.50", T0);
        cancelRedemption(redeem(redeemedAgain, "order-2", "40.00", "4.00", T0), T0.plusSeconds(1));
        redeem(redeemedAgain, "order-3", "22.50", "2.25", T0.plusSeconds(2));
        markExpired(marked, T0);
        redeem(elsewhere, "order-4", "80.00", "8.00", T0);

        String body = mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issued").value(5))
                .andExpect(jsonPath("$.redeemed").value(2))
                .andExpect(jsonPath("$.expired").value(2))
                .andExpect(jsonPath("$.redemptionRate").value(0.4))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"totalDiscount\":7.75");
    }

    @Test
    void answersZeroRateAndZeroDiscountWithTwoDigitsWhenNothingIsIssued() throws Exception {
        long id = createCoupon("UNUSED", 10, T0.minusSeconds(3600), T0.plusSeconds(86_400));

        String body = mvc.perform(asAdmin(get(COUPONS + "/" + id + "/stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issued").value(0))
                .andExpect(jsonPath("$.redeemed").value(0))
                .andExpect(jsonPath("$.expired").value(0))
                .andExpect(jsonPath("$.redemptionRate").value(0.0))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"totalDiscount\":0.00");
    }

    @Test
    void answersNotFoundForUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(get(COUPONS + "/4242/stats")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }

    @Test
    void gaugesRemainingUnitsOfOpenCouponsOnly() throws Exception {
        long open = createCoupon("GAUGE-OPEN", 50, T0.minusSeconds(60), T0.plusSeconds(86_400));
        long scheduled = createCoupon("GAUGE-LATER", 50, T0.plusSeconds(3600), T0.plusSeconds(86_400));
        issue(open, 1, open + "-00000000-0000-0000-0000-000000000001", T0);

        gauge.refresh();
        assertThat(remainingGauge(open).value()).isEqualTo(49.0);
        assertThat(registry.find(MetricNames.COUPON_REMAINING).tag(MetricNames.COUPON, Long.toString(scheduled))
                .gauge()).isNull();

        issue(open, 2, open + "-00000000-0000-0000-0000-000000000002", T0);
        gauge.refresh();
        assertThat(remainingGauge(open).value()).isEqualTo(48.0);

        mvc.perform(asAdmin(post(COUPONS + "/" + open + "/close"))).andExpect(status().isOk());
        gauge.refresh();
        assertThat(registry.find(MetricNames.COUPON_REMAINING).tag(MetricNames.COUPON, Long.toString(open))
                .gauge()).isNull();
    }

    @Test
    void keepsASoldOutCouponAtZeroAndDropsADeletedOne() throws Exception {
        long soldOut = createCoupon("GAUGE-GONE", 1, T0.minusSeconds(60), T0.plusSeconds(86_400));
        long deleted = createCoupon("GAUGE-DELETED", 5, T0.minusSeconds(60), T0.plusSeconds(86_400));
        issue(soldOut, 1, soldOut + "-00000000-0000-0000-0000-000000000001", T0);

        gauge.refresh();
        assertThat(remainingGauge(soldOut).value()).as("a rush's graph ends at 0").isEqualTo(0.0);
        assertThat(remainingGauge(deleted).value()).isEqualTo(5.0);

        // a coupon is deleted once nobody can be admitted for it; paused, it keeps its gauge
        mvc.perform(asAdmin(post(COUPONS + "/" + deleted + "/pause"))).andExpect(status().isOk());
        gauge.refresh();
        assertThat(remainingGauge(deleted).value()).isEqualTo(5.0);
        mvc.perform(asAdmin(delete(COUPONS + "/" + deleted))).andExpect(status().isNoContent());
        gauge.refresh();
        assertThat(registry.find(MetricNames.COUPON_REMAINING).tag(MetricNames.COUPON, Long.toString(deleted))
                .gauge()).isNull();
    }

    @Test
    void publishesRemainingUnitsOnTheScrapeWithoutAToken() throws Exception {
        long open = createCoupon("GAUGE-SCRAPE", 50, T0.minusSeconds(60), T0.plusSeconds(86_400));
        issue(open, 1, open + "-00000000-0000-0000-0000-000000000001", T0);
        gauge.refresh();

        String scrape = mvc.perform(get("/actuator/prometheus"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        System.out.println("admin-service /actuator/prometheus names: " + names);
        assertThat(names).contains("rushcoupon_coupon_remaining", "http_server_requests_seconds_count");
        assertThat(scrape).containsPattern(
                "rushcoupon_coupon_remaining\\{[^}]*coupon=\"" + open + "\"[^}]*} 49(\\.0)?\\n");
    }

    private Gauge remainingGauge(long couponId) {
        Gauge found = registry.find(MetricNames.COUPON_REMAINING).tag(MetricNames.COUPON, Long.toString(couponId))
                .gauge();
        assertThat(found).as("gauge of coupon %d", couponId).isNotNull();
        return found;
    }
}
