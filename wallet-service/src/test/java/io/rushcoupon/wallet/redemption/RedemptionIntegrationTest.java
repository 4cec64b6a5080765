package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;

class RedemptionIntegrationTest extends RedemptionIntegrationTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void redeemsAFixedAmountCouponAndAnswersTheDiscountWithLocation() throws Exception {
        long issuance = issue(fixedCoupon("FIX"), 1);

        MvcResult result = redeem(1, issuance, "key-1", order("order-1", "20.5"))
                .andExpect(status().isCreated())
                .andExpect(content -> assertThat(content.getResponse().getContentType())
                        .isEqualTo(MediaType.APPLICATION_JSON_VALUE))
                .andExpect(jsonPath("$.issuanceId").value(issuance))
                .andExpect(jsonPath("$.orderId").value("order-1"))
                .andReturn();

        String body = result.getResponse().getContentAsString();
        long redemptionId = redemptionId(body);
        assertThat(result.getResponse().getHeader("Location")).isEqualTo(ME + "/redemptions/" + redemptionId);
        // amounts as decimals with two fraction digits
        assertThat(decimal(body, "orderAmount")).isEqualTo("20.50");
        assertThat(decimal(body, "discount")).isEqualTo("5.50");
        assertThat(decimal(body, "payable")).isEqualTo("15.00");
        Map<String, Object> row = jdbc.sql("""
                SELECT issuance_id, user_id, order_id, order_amount::text AS amount, discount::text AS discount,
                       payable::text AS payable, status, redeemed_at FROM coupon_redemption WHERE id = ?""")
                .param(redemptionId).query().singleRow();
        assertThat(row).containsEntry("issuance_id", issuance).containsEntry("user_id", 1L)
                .containsEntry("order_id", "order-1").containsEntry("amount", "20.50")
                .containsEntry("discount", "5.50").containsEntry("payable", "15.00")
                .containsEntry("status", "REDEEMED");
        assertThat(issuanceRow(issuance)).containsEntry("status", "REDEEMED");
        assertThat(Instant.parse(JSON.readTree(body).get("redeemedAt").asString()))
                .isEqualTo(((java.sql.Timestamp) issuanceRow(issuance).get("redeemed_at")).toInstant())
                .isEqualTo(((java.sql.Timestamp) row.get("redeemed_at")).toInstant());
    }

    @Test
    void redeemsAPercentageCouponRoundedDownAndCapped() throws Exception {
        long uncapped = issue(coupon("PCT", "PERCENTAGE", "15", null, null), 1);
        long capped = issue(coupon("CAP", "PERCENTAGE", "50", "20.00", null), 1);

        String share = redeemed(1, uncapped, "share", "19.99");
        String cap = redeemed(1, capped, "cap", "100");

        assertThat(decimal(share, "discount")).isEqualTo("2.99");
        assertThat(decimal(share, "payable")).isEqualTo("17.00");
        assertThat(decimal(cap, "discount")).isEqualTo("20.00");
        assertThat(decimal(cap, "payable")).isEqualTo("80.00");
    }

    @Test
    void refusesSecondRedemptionOfSameCoupon() throws Exception {
        long issuance = issue(fixedCoupon("TWICE"), 1);
        redeemed(1, issuance, "first", "20.00");

        redeem(1, issuance, "second", order("order-2", "30.00"))
                .andExpect(status().isConflict())
                .andExpect(content -> assertThat(content.getResponse().getContentType())
                        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.code").value("COUPON_ALREADY_REDEEMED"))
                .andExpect(jsonPath("$.instance").value(ME + "/coupons/" + issuance + "/redemptions"));

        assertThat(count("coupon_redemption")).isEqualTo(1);
    }

    @Test
    void refusesACouponAtExactlyItsExpiryAndRedeemsItOneMilliBefore() throws Exception {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
        long coupon = fixedCoupon("EDGE");
        long atExpiry = issue(coupon, 1, expiresAt.minus(Duration.ofDays(2)), expiresAt);
        long justBefore = issue(coupon, 2, expiresAt.minus(Duration.ofDays(2)), expiresAt);

        walletClock().set(expiresAt);
        redeem(1, atExpiry, "at", order("order-at", "20.00"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_EXPIRED"));
        walletClock().set(expiresAt.minusMillis(1));
        redeemed(2, justBefore, "before", "20.00");

        assertThat(issuanceRow(atExpiry)).containsEntry("status", "AVAILABLE");
        assertThat(standingRedemptions(atExpiry)).isZero();
        assertThat(standingRedemptions(justBefore)).isOne();
    }

    @Test
    void refusesACouponTheExpiryJobMarked() throws Exception {
        Instant now = Instant.now();
        long issuance = issue(fixedCoupon("MARKED"), 1, now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)));
        jdbc.sql("UPDATE coupon_issuance SET status = 'EXPIRED', expired_at = now() WHERE id = ?").param(issuance)
                .update();

        redeem(1, issuance, "late", order("order-late", "20.00"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_EXPIRED"));
    }

    @Test
    void refusesAnOrderBelowTheCouponsMinimumAndRedeemsOneAtIt() throws Exception {
        long coupon = coupon("MIN", "FIXED_AMOUNT", "5.00", null, "50.00");
        long below = issue(coupon, 1);
        long at = issue(coupon, 2);

        redeem(1, below, "below", order("order-below", "49.99"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("MIN_ORDER_NOT_MET"))
                .andExpect(jsonPath("$.minOrderAmount").value(50.00));
        redeemed(2, at, "at", "50.00");

        assertThat(issuanceRow(below)).containsEntry("status", "AVAILABLE");
        assertThat(count("coupon_redemption")).isEqualTo(1);
    }

    @Test
    void answersNotFoundForAnotherUsersCouponAndAnUnknownOne() throws Exception {
        long othersCoupon = issue(fixedCoupon("OTHER"), 2);

        redeem(1, othersCoupon, "other", order("order-1", "20.00"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("ISSUANCE_NOT_FOUND"));
        redeem(1, othersCoupon + 1000, "unknown", order("order-1", "20.00"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("ISSUANCE_NOT_FOUND"));

        assertThat(issuanceRow(othersCoupon)).containsEntry("status", "AVAILABLE");
        assertThat(count("coupon_redemption")).isZero();
    }

    @Test
    void fiftyConcurrentRedemptionsOfOneCouponGiveExactlyOne201() throws Exception {
        long issuance = issue(fixedCoupon("RACE"), 1);
        int devices = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MvcResult>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(devices)) {
            for (int device = 0; device < devices; device++) {
                String key = "device-" + device;
                answers.add(threads.submit(() -> {
                    start.await();
                    return redeem(1, issuance, key, order("order-" + key, "20.00")).andReturn();
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<MvcResult> answer : answers) {
                MvcResult result = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                int status = result.getResponse().getStatus();
                outcomes.add(status == 201 ? "201"
                        : status + " " + JSON.readTree(result.getResponse().getContentAsString()).get("code").asString());
            }

            assertThat(outcomes.stream().collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting())))
                    .isEqualTo(Map.of("201", 1L, "409 COUPON_ALREADY_REDEEMED", (long) devices - 1));
        }
        assertThat(count("coupon_redemption")).isEqualTo(1);
        assertThat(issuanceRow(issuance)).containsEntry("status", "REDEEMED");
        assertThat(jdbc.sql("SELECT count(*) FROM redemption_idempotency WHERE state = 'COMPLETED'")
                .query(Long.class).single()).isEqualTo(devices);
    }

    @Test
    void countsRedemptionsByOutcomeAndTheDiscountGiven() throws Exception {
        long issuance = issue(fixedCoupon("METER"), 1);
        double redeemed = counter("redeemed");
        double alreadyRedeemed = counter("already_redeemed");
        double discount = meters.get(MetricNames.DISCOUNT_GIVEN).counter().count();

        redeemed(1, issuance, "metered", "20.00");
        redeem(1, issuance, "again", order("order-again", "20.00")).andExpect(status().isConflict());

        assertThat(counter("redeemed")).isEqualTo(redeemed + 1);
        assertThat(counter("already_redeemed")).isEqualTo(alreadyRedeemed + 1);
        assertThat(meters.get(MetricNames.DISCOUNT_GIVEN).counter().count()).isEqualTo(discount + 5.50);
        assertThat(meters.get(MetricNames.REDEMPTIONS).tag(MetricNames.OUTCOME, "in_progress").counter())
                .as("every outcome's series exists from the start").isNotNull();
    }

    private double counter(String outcome) {
        return meters.get(MetricNames.REDEMPTIONS).tag(MetricNames.OUTCOME, outcome).counter().count();
    }
}
