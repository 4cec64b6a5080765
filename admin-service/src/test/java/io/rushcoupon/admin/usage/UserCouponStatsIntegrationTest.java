package io.rushcoupon.admin.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;

class UserCouponStatsIntegrationTest extends AdminIntegrationTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String USERS = "/api/v1/admin/users/";

    /**
     * User 7 holds five coupons, issued a minute apart: A redeemed after a cancelled redemption, B
     * past its expiresAt but still AVAILABLE (derived EXPIRED), C marked EXPIRED by the job, D valid,
     * E redeemed and cancelled (AVAILABLE again). User 8 also holds A, and redeemed it.
     */
    @Test
    void answersTheWalletFiguresAndOneEntryPerCouponNewestFirst() throws Exception {
        long[] coupons = new long[5];
        long[] held = new long[5];
        for (int i = 0; i < 5; i++) {
            coupons[i] = createOpenCoupon("USER-" + (char) ('A' + i));
            boolean pastExpiry = i == 1 || i == 2;
            held[i] = issue(coupons[i], 7, requestId(coupons[i], 7), T0.plusSeconds(60L * i),
                    pastExpiry ? T0.minusSeconds(1) : T0.plusSeconds(86_400));
        }
        cancelRedemption(redeem(held[0], "order-a1", "50.00", "4.00", T0), T0.plusSeconds(1));
        redeem(held[0], "order-a2", "60.00", "5.50", T0.plusSeconds(2));
        markExpired(held[2], T0);
        cancelRedemption(redeem(held[4], "order-e1", "30.00", "3.00", T0.plusSeconds(300)), T0.plusSeconds(301));
        long othersA = issue(coupons[0], 8, requestId(coupons[0], 8), T0, T0.plusSeconds(86_400));
        redeem(othersA, "order-8", "99.00", "9.00", T0);

        String body = mvc.perform(asAdmin(get(USERS + 7 + "/coupon-stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.userId").value(7))
                .andExpect(jsonPath("$.issued").value(5))
                .andExpect(jsonPath("$.available").value(2))
                .andExpect(jsonPath("$.redeemed").value(1))
                .andExpect(jsonPath("$.expired").value(2))
                .andExpect(jsonPath("$.cancelledRedemptions").value(2))
                .andExpect(jsonPath("$.coupons[*].code", contains("USER-E", "USER-D", "USER-C", "USER-B", "USER-A")))
                .andExpect(jsonPath("$.coupons[*].status",
                        contains("AVAILABLE", "AVAILABLE", "EXPIRED", "EXPIRED", "REDEEMED")))
                .andExpect(jsonPath("$.coupons[*].redemptions", contains(1, 0, 0, 0, 2)))
                .andExpect(jsonPath("$.coupons[*].cancelledRedemptions", contains(1, 0, 0, 0, 1)))
                .andExpect(jsonPath("$.coupons[4].couponId").value(coupons[0]))
                .andExpect(jsonPath("$.coupons[4].issuanceId").value(held[0]))
                .andExpect(jsonPath("$.coupons[4].name").value("Coupon USER-A"))
                .andExpect(jsonPath("$.coupons[4].issuedAt").value(T0.toString()))
                .andExpect(jsonPath("$.coupons[4].expiresAt").value(T0.plusSeconds(86_400).toString()))
                .andExpect(jsonPath("$.coupons[4].redeemedAt").value(T0.plusSeconds(2).toString()))
                .andExpect(jsonPath("$.coupons[0].redeemedAt").doesNotExist())
                .andExpect(jsonPath("$.coupons[3].expiresAt").value(T0.minusSeconds(1).toString()))
                .andReturn().getResponse().getContentAsString();
        // two fraction digits, as the money columns: the standing 5.50 only, per coupon and in all
        assertThat(body).contains("\"cancelledRedemptions\":2,\"totalDiscount\":5.50,");
        assertThat(Pattern.compile("\"totalDiscount\":([^,}]*)").matcher(body).results().map(found -> found.group(1)))
                .containsExactly("5.50", "0.00", "0.00", "0.00", "0.00", "5.50");
    }

    @Test
    void answersZerosAndNoCouponsForAUserNobodyIssuedACouponTo() throws Exception {
        long coupon = createOpenCoupon("SOMEONE-ELSE");
        issue(coupon, 7, requestId(coupon, 7), T0);

        mvc.perform(asAdmin(get(USERS + 4242 + "/coupon-stats")))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"userId":4242,"issued":0,"available":0,"redeemed":0,"expired":0,
                         "cancelledRedemptions":0,"totalDiscount":0.00,"coupons":[]}""", true))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("\"totalDiscount\":0.00")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "99999999999999999999", "1e3"})
    void refusesAnIdThatIsNoUserIdAsAProblem(String userId) throws Exception {
        mvc.perform(asAdmin(get(USERS + userId + "/coupon-stats")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("userId"));
    }

    @Test
    void isForAdminsOnly() throws Exception {
        mvc.perform(get(USERS + 7 + "/coupon-stats").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user(7)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("FORBIDDEN"));
        mvc.perform(get(USERS + 7 + "/coupon-stats"))
                .andExpect(status().isUnauthorized());
    }

    /** One user holds one unit of each of 1001 coupons: the list keeps the 1000 newest, the figures count all. */
    @Test
    void listsAtMostTheThousandNewestCouponsButCountsThemAll() throws Exception {
        jdbc.sql("INSERT INTO app_user (id) VALUES (9)").update();
        jdbc.sql("""
                INSERT INTO coupon (code, name, type, discount_value, total_quantity, remaining_quantity,
                                    issue_starts_at, issue_ends_at, valid_days)
                SELECT 'BULK-' || n, 'Bulk ' || n, 'FIXED_AMOUNT', 1, 1, 0, ?, ?, 30 FROM generate_series(1, 1001) n""")
                .params(java.sql.Timestamp.from(T0.minusSeconds(3600)), java.sql.Timestamp.from(T0.plusSeconds(3600)))
                .update();
        jdbc.sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                SELECT id, 9, id || '-request', ?::timestamptz + id * interval '1 second', ?
                FROM coupon""")
                .params(java.sql.Timestamp.from(T0), java.sql.Timestamp.from(T0.plusSeconds(86_400)))
                .update();

        mvc.perform(asAdmin(get(USERS + 9 + "/coupon-stats")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issued").value(1001))
                .andExpect(jsonPath("$.available").value(1001))
                .andExpect(jsonPath("$.coupons.length()").value(UserCouponUsage.MAX_COUPONS))
                .andExpect(jsonPath("$.coupons[0].code").value("BULK-1001"))
                .andExpect(jsonPath("$.coupons[999].code").value("BULK-2"));
    }

    private static String requestId(long couponId, long userId) {
        return couponId + "-00000000-0000-0000-0000-%012d".formatted(userId);
    }
}
