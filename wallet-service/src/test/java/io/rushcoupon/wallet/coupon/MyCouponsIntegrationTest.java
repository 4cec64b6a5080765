package io.rushcoupon.wallet.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManagerFactory;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.WalletRows;
import io.rushcoupon.wallet.expiry.ExpiryJob;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MyCouponsIntegrationTest extends WalletIntegrationTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final long ME_USER = 7;
    private static final long OTHER_USER = 8;

    @Autowired
    ExpiryJob expiryJob;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    private WalletRows rows;

    @BeforeEach
    void atAFixedInstant() {
        walletClock().set(NOW);
        rows = new WalletRows(jdbc);
    }

    private ResultActions list(long userId, String query) throws Exception {
        return mvc.perform(as(userId, get(ME + "/coupons" + query)));
    }

    @Test
    void listsMyCouponsNewestFirstWithEachCouponsTerms() throws Exception {
        long fixed = fixedCoupon("FIX");
        long percent = coupon("PCT", "PERCENTAGE", "10", "3", "20");
        long oldest = issue(fixed, ME_USER, NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(27)));
        long newest = issue(percent, ME_USER, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(29)));
        long middle = issue(fixedCoupon("FIX2"), ME_USER, NOW.minus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(28)));
        issue(fixed, OTHER_USER, NOW, NOW.plus(Duration.ofDays(30)));

        String body = list(ME_USER, "")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) newest, (int) middle, (int) oldest)))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(20))
                .andExpect(jsonPath("$.totalElements").value(3))
                .andExpect(jsonPath("$.totalPages").value(1))
                .andExpect(jsonPath("$.content[0].couponId").value((int) percent))
                .andExpect(jsonPath("$.content[0].code").value("PCT"))
                .andExpect(jsonPath("$.content[0].name").value("Coupon PCT"))
                .andExpect(jsonPath("$.content[0].type").value("PERCENTAGE"))
                .andExpect(jsonPath("$.content[0].status").value("AVAILABLE"))
                .andExpect(jsonPath("$.content[0].issuedAt").value("2030-05-31T12:00:00Z"))
                .andExpect(jsonPath("$.content[0].expiresAt").value("2030-06-30T12:00:00Z"))
                .andExpect(jsonPath("$.content[0].redeemedAt").value(nullValue()))
                .andExpect(jsonPath("$.content[2].maxDiscountAmount").value(nullValue()))
                .andExpect(jsonPath("$.content[2].minOrderAmount").value(nullValue()))
                .andReturn().getResponse().getContentAsString();

        JsonNode first = JsonMapper.builder().build().readTree(body).get("content").get(0);
        assertThat(first.propertyNames()).containsExactlyInAnyOrder("issuanceId", "couponId", "code", "name", "type",
                "discountValue", "maxDiscountAmount", "minOrderAmount", "status", "issuedAt", "expiresAt",
                "redeemedAt");
        // money as decimals with the columns' 2 fraction digits, not as 10 or 10.0
        assertThat(body).contains("\"discountValue\":10.00", "\"maxDiscountAmount\":3.00",
                "\"minOrderAmount\":20.00", "\"discountValue\":5.50");
    }

    @Test
    void readsAPageWithItsCouponsTermsInOneQueryAndItsTotalInAnother() throws Exception {
        for (int i = 0; i < 5; i++) {
            issue(fixedCoupon("N" + i), ME_USER, NOW.minus(Duration.ofHours(i)), NOW.plus(Duration.ofDays(1)));
        }
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        statistics.clear();
        statistics.setStatisticsEnabled(true);
        try {
            list(ME_USER, "?size=3").andExpect(jsonPath("$.content[*].code").value(contains("N0", "N1", "N2")));

            // not one query more per coupon's terms
            assertThat(statistics.getPrepareStatementCount()).isEqualTo(2);
        } finally {
            statistics.setStatisticsEnabled(false);
        }
    }

    @Test
    void ordersCouponsIssuedAtTheSameInstantByIdNewestFirst() throws Exception {
        long first = issue(fixedCoupon("SAME1"), ME_USER, NOW, NOW.plus(Duration.ofDays(1)));
        long second = issue(fixedCoupon("SAME2"), ME_USER, NOW, NOW.plus(Duration.ofDays(1)));

        list(ME_USER, "").andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) second, (int) first)));
    }

    @Test
    void pagesThroughTheWalletWithItsTotals() throws Exception {
        List<Integer> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant issuedAt = NOW.minus(Duration.ofHours(10 - i));
            newestFirst.addFirst((int) issue(fixedCoupon("PAGE" + i), ME_USER, issuedAt, NOW.plus(Duration.ofDays(1))));
        }

        list(ME_USER, "?page=0&size=2")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains(newestFirst.get(0), newestFirst.get(1))))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.totalElements").value(5))
                .andExpect(jsonPath("$.totalPages").value(3));
        list(ME_USER, "?page=1&size=2")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains(newestFirst.get(2), newestFirst.get(3))));
        list(ME_USER, "?page=2&size=2")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains(newestFirst.get(4))))
                .andExpect(jsonPath("$.page").value(2));
        list(ME_USER, "?page=3&size=2")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content").value(empty()))
                .andExpect(jsonPath("$.totalElements").value(5));
        list(ME_USER, "?size=100").andExpect(jsonPath("$.content.length()").value(5));
    }

    @Test
    void filtersByTheStatusAtTheTimeOfTheAnswer() throws Exception {
        long available = issue(fixedCoupon("MIX1"), ME_USER, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        long redeemed = issue(fixedCoupon("MIX2"), ME_USER, NOW.minus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(1)));
        rows.redeem(redeemed, "30.00", "5.50", NOW.minus(Duration.ofHours(1)));
        long markedExpired = issue(fixedCoupon("MIX3"), ME_USER, NOW.minus(Duration.ofDays(4)), NOW.minus(Duration.ofDays(2)));
        rows.markExpired(markedExpired, NOW.minus(Duration.ofDays(2)));
        // past its expiresAt, not yet marked by the job
        long pastDue = issue(fixedCoupon("MIX4"), ME_USER, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofMinutes(1)));

        list(ME_USER, "?status=AVAILABLE")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) available)))
                .andExpect(jsonPath("$.totalElements").value(1));
        list(ME_USER, "?status=REDEEMED")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) redeemed)))
                .andExpect(jsonPath("$.content[0].status").value("REDEEMED"))
                .andExpect(jsonPath("$.content[0].redeemedAt").value("2030-06-01T11:00:00Z"))
                .andExpect(jsonPath("$.totalElements").value(1));
        list(ME_USER, "?status=EXPIRED&size=1")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) pastDue)))
                .andExpect(jsonPath("$.content[0].status").value("EXPIRED"))
                .andExpect(jsonPath("$.totalElements").value(2))
                .andExpect(jsonPath("$.totalPages").value(2));
        list(ME_USER, "?status=EXPIRED&page=1&size=1")
                .andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) markedExpired)));
        list(ME_USER, "")
                .andExpect(jsonPath("$.content[*].status").value(contains("AVAILABLE", "REDEEMED", "EXPIRED", "EXPIRED")))
                .andExpect(jsonPath("$.totalElements").value(4));
    }

    @Test
    void showsACouponPastItsExpiryAsExpiredBeforeAndAfterTheJobMarksIt() throws Exception {
        long coupon = fixedCoupon("EXP");
        Instant expiresAt = NOW.plus(Duration.ofHours(1));
        long issuance = issue(coupon, ME_USER, NOW, expiresAt);
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(jsonPath("$.status").value("AVAILABLE"));

        walletClock().set(expiresAt.plus(Duration.ofMinutes(5)));
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(jsonPath("$.status").value("EXPIRED"));
        list(ME_USER, "?status=EXPIRED").andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) issuance)));
        list(ME_USER, "?status=AVAILABLE").andExpect(jsonPath("$.totalElements").value(0));
        assertThat(rows.storedStatus(issuance)).isEqualTo("AVAILABLE");

        assertThat(expiryJob.expireDue()).isEqualTo(1);

        assertThat(rows.storedStatus(issuance)).isEqualTo("EXPIRED");
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(jsonPath("$.status").value("EXPIRED"));
        list(ME_USER, "?status=EXPIRED").andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) issuance)));
        list(ME_USER, "?status=AVAILABLE").andExpect(jsonPath("$.totalElements").value(0));
    }

    @Test
    void isExpiredFromExactlyItsExpiresAtAndAvailableOneMillisecondBefore() throws Exception {
        long coupon = fixedCoupon("EDGE");
        Instant expiresAt = NOW.plus(Duration.ofDays(1)).plusMillis(123);
        long issuance = issue(coupon, ME_USER, NOW, expiresAt);

        walletClock().set(expiresAt.minusMillis(1));
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(jsonPath("$.status").value("AVAILABLE"));
        list(ME_USER, "?status=AVAILABLE").andExpect(jsonPath("$.totalElements").value(1));
        list(ME_USER, "?status=EXPIRED").andExpect(jsonPath("$.totalElements").value(0));

        walletClock().set(expiresAt);
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(jsonPath("$.status").value("EXPIRED"));
        list(ME_USER, "?status=AVAILABLE").andExpect(jsonPath("$.totalElements").value(0));
        list(ME_USER, "?status=EXPIRED").andExpect(jsonPath("$.totalElements").value(1));
    }

    @Test
    void showsACouponAsSoonAsItsIssuanceRowExists() throws Exception {
        long coupon = fixedCoupon("NEW");
        list(ME_USER, "").andExpect(jsonPath("$.totalElements").value(0));

        long issuance = issue(coupon, ME_USER);

        list(ME_USER, "").andExpect(jsonPath("$.content[*].issuanceId").value(contains((int) issuance)));
        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance))).andExpect(status().isOk());
    }

    @Test
    void answersOneOfMyCouponsByItsId() throws Exception {
        long coupon = coupon("ONE", "PERCENTAGE", "15", "7.25", null);
        long issuance = issue(coupon, ME_USER, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(2)));

        mvc.perform(as(ME_USER, get(ME + "/coupons/" + issuance)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.issuanceId").value((int) issuance))
                .andExpect(jsonPath("$.couponId").value((int) coupon))
                .andExpect(jsonPath("$.code").value("ONE"))
                .andExpect(jsonPath("$.type").value("PERCENTAGE"))
                .andExpect(jsonPath("$.status").value("AVAILABLE"))
                .andExpect(jsonPath("$.issuedAt").value("2030-06-01T11:00:00Z"))
                .andExpect(jsonPath("$.expiresAt").value("2030-06-03T12:00:00Z"))
                .andExpect(content().string(containsString("\"discountValue\":15.00")))
                .andExpect(content().string(containsString("\"maxDiscountAmount\":7.25")));
    }

    @Test
    void answersAnotherUsersCouponAsAnUnknownOne() throws Exception {
        long issuance = issue(fixedCoupon("THEIRS"), OTHER_USER);

        for (long id : new long[] {issuance, issuance + 1000}) {
            mvc.perform(as(ME_USER, get(ME + "/coupons/" + id)))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.code").value("ISSUANCE_NOT_FOUND"))
                    .andExpect(jsonPath("$.status").value(404));
        }
        list(ME_USER, "").andExpect(jsonPath("$.totalElements").value(0));
        mvc.perform(as(OTHER_USER, get(ME + "/coupons/" + issuance))).andExpect(status().isOk());
    }
}
