package io.rushcoupon.wallet.stats;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.json.JsonCompareMode;

import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.WalletRows;

class CouponStatsIntegrationTest extends WalletIntegrationTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final long USER = 11;
    private static final long OTHER_USER = 12;

    private WalletRows rows;

    @BeforeEach
    void atAFixedInstant() {
        walletClock().set(NOW);
        rows = new WalletRows(jdbc);
    }

    @Test
    void countsAMixedWalletByTheStatusAtTheTimeOfTheAnswer() throws Exception {
        Instant later = NOW.plus(Duration.ofDays(10));
        issue(fixedCoupon("A1"), USER, NOW, later);
        long redeemedTwice = issue(fixedCoupon("R1"), USER, NOW, later);
        // redeemed, cancelled, redeemed again: one cancelled redemption, one standing
        rows.cancel(rows.redeem(redeemedTwice, "40.00", "5.50", NOW.minusSeconds(600)), NOW.minusSeconds(500));
        rows.redeem(redeemedTwice, "30.00", "5.50", NOW.minusSeconds(400));
        rows.redeem(issue(fixedCoupon("R2"), USER, NOW, later), "19.99", "1.99", NOW.minusSeconds(300));
        // cancelled and left AVAILABLE
        long cancelled = issue(fixedCoupon("C1"), USER, NOW, later);
        rows.cancel(rows.redeem(cancelled, "100.00", "50.00", NOW.minusSeconds(200)), NOW.minusSeconds(100));
        rows.markExpired(issue(fixedCoupon("E1"), USER, NOW.minus(Duration.ofDays(5)), NOW.minus(Duration.ofDays(1))),
                NOW.minus(Duration.ofDays(1)));
        // past its expiresAt, not marked yet
        issue(fixedCoupon("E2"), USER, NOW.minus(Duration.ofDays(5)), NOW);
        // another user's redemption counts for them only
        rows.redeem(issue(fixedCoupon("O1"), OTHER_USER, NOW, later), "10.00", "5.50", NOW);

        mvc.perform(as(USER, get(ME + "/coupon-stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issued").value(6))
                .andExpect(jsonPath("$.available").value(2))
                .andExpect(jsonPath("$.redeemed").value(2))
                .andExpect(jsonPath("$.expired").value(2))
                .andExpect(jsonPath("$.cancelledRedemptions").value(2))
                .andExpect(content().string(containsString("\"totalDiscount\":7.49")));

        walletClock().set(later);
        mvc.perform(as(USER, get(ME + "/coupon-stats")))
                .andExpect(jsonPath("$.issued").value(6))
                .andExpect(jsonPath("$.available").value(0))
                .andExpect(jsonPath("$.redeemed").value(2))
                .andExpect(jsonPath("$.expired").value(4));
    }

    @Test
    void answersZerosWithTwoFractionDigitsForAnEmptyWallet() throws Exception {
        mvc.perform(as(USER, get(ME + "/coupon-stats")))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"issued":0,"available":0,"redeemed":0,"expired":0,"cancelledRedemptions":0,
                         "totalDiscount":0.00}""", JsonCompareMode.STRICT))
                .andExpect(content().string(containsString("\"totalDiscount\":0.00")));
    }

    @Test
    void keepsAFullyCancelledWalletsDiscountAtZero() throws Exception {
        long issuance = issue(fixedCoupon("C2"), USER);
        rows.cancel(rows.redeem(issuance, "10.00", "5.50", NOW), NOW);

        mvc.perform(as(USER, get(ME + "/coupon-stats")))
                .andExpect(jsonPath("$.available").value(1))
                .andExpect(jsonPath("$.redeemed").value(0))
                .andExpect(jsonPath("$.cancelledRedemptions").value(1))
                .andExpect(content().string(containsString("\"totalDiscount\":0.00")));
    }
}
