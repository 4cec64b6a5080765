package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;

class CancellationIntegrationTest extends RedemptionIntegrationTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void cancellingARedemptionMakesTheCouponRedeemableAgain() throws Exception {
        long issuance = issue(fixedCoupon("UNDO"), 1);
        long redemptionId = redemptionId(redeemed(1, issuance, "first", "20.00"));
        double cancellations = cancellations();

        cancel(1, redemptionId)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.redemptionId").value(redemptionId))
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.couponStatus").value("AVAILABLE"));

        Map<String, Object> redemption = jdbc.sql("SELECT status, cancelled_at FROM coupon_redemption WHERE id = ?")
                .param(redemptionId).query().singleRow();
        assertThat(redemption.get("status")).isEqualTo("CANCELLED");
        assertThat(redemption.get("cancelled_at")).isNotNull();
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE").containsEntry("redeemed_at", null);
        assertThat(cancellations()).isEqualTo(cancellations + 1);

        long again = redemptionId(redeemed(1, issuance, "second", "30.00"));
        assertThat(again).isNotEqualTo(redemptionId);
        assertThat(standingRedemptions(issuance)).isOne();
        assertThat(count("coupon_redemption")).isEqualTo(2);
    }

    @Test
    void repeatingACancellationAnswersTheSameAndCountsOnce() throws Exception {
        long issuance = issue(fixedCoupon("REPEAT"), 1);
        long redemptionId = redemptionId(redeemed(1, issuance, "first", "20.00"));
        String first = cancel(1, redemptionId).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        double cancellations = cancellations();

        String again = cancel(1, redemptionId).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(again).isEqualTo(first);
        assertThat(cancellations()).isEqualTo(cancellations);
    }

    @Test
    void repeatingACancellationAnswersTheCouponStatusAsItStands() throws Exception {
        long issuance = issue(fixedCoupon("ANEW"), 1);
        long first = redemptionId(redeemed(1, issuance, "first", "20.00"));
        cancel(1, first).andExpect(status().isOk());
        redeemed(1, issuance, "second", "20.00");

        cancel(1, first)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.couponStatus").value("REDEEMED"));

        assertThat(standingRedemptions(issuance)).isOne();
        assertThat(issuanceRow(issuance)).containsEntry("status", "REDEEMED");
    }

    @Test
    void cancellingAfterTheCouponExpiredLeavesItExpired() throws Exception {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(Duration.ofHours(1));
        long issuance = issue(fixedCoupon("LATE"), 1, now, expiresAt);
        long redemptionId = redemptionId(redeemed(1, issuance, "first", "20.00"));
        walletClock().set(expiresAt);

        cancel(1, redemptionId)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.couponStatus").value("EXPIRED"));

        redeem(1, issuance, "second", order("order-2", "20.00"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("COUPON_EXPIRED"));
        assertThat(standingRedemptions(issuance)).isZero();
    }

    @Test
    void refusesToCancelAnotherUsersRedemptionOrAnUnknownOne() throws Exception {
        long issuance = issue(fixedCoupon("THEIRS"), 2);
        long redemptionId = redemptionId(redeemed(2, issuance, "theirs", "20.00"));

        cancel(1, redemptionId)
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("REDEMPTION_NOT_FOUND"));
        cancel(1, redemptionId + 1000)
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("REDEMPTION_NOT_FOUND"));

        assertThat(standingRedemptions(issuance)).isOne();
        assertThat(issuanceRow(issuance)).containsEntry("status", "REDEEMED");
    }

    @Test
    void concurrentCancellationsOfOneRedemptionRestoreTheCouponOnce() throws Exception {
        long issuance = issue(fixedCoupon("RACE"), 1);
        long redemptionId = redemptionId(redeemed(1, issuance, "first", "20.00"));
        double cancellations = cancellations();
        int devices = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MvcResult>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(devices)) {
            for (int device = 0; device < devices; device++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return cancel(1, redemptionId).andReturn();
                }));
            }
            start.countDown();
            for (Future<MvcResult> answer : answers) {
                MvcResult result = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(result.getResponse().getStatus()).isEqualTo(200);
                assertThat(JSON.readTree(result.getResponse().getContentAsString()).get("couponStatus").asString())
                        .isEqualTo("AVAILABLE");
            }
        }
        assertThat(cancellations()).isEqualTo(cancellations + 1);
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE");
    }

    private double cancellations() {
        return meters.get(MetricNames.REDEMPTION_CANCELLATIONS).counter().count();
    }
}
