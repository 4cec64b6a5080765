package io.rushcoupon.admin.redemption;

import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

import io.rushcoupon.admin.AdminIntegrationTest;

class RedemptionListingIntegrationTest extends AdminIntegrationTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void listsACouponsRedemptionsInTheOrderTheyWereMadeInPages() throws Exception {
        long id = createOpenCoupon("REDEEMED");
        long other = createOpenCoupon("REDEEMED-OTHER");
        long first = issue(id, 30, id + "-00000000-0000-0000-0000-000000000030", T0, T0.plusSeconds(86_400));
        long second = issue(id, 10, id + "-00000000-0000-0000-0000-000000000010", T0, T0.plusSeconds(86_400));
        long elsewhere = issue(other, 30, other + "-00000000-0000-0000-0000-000000000030", T0, T0.plusSeconds(86_400));
        long cancelled = redeem(first, "order-1", "100.00", "5.50", T0);
        cancelRedemption(cancelled, T0.plusSeconds(5));
        redeem(elsewhere, "order-x", "10.00", "5.50", T0.plusSeconds(6));
        long standing = redeem(second, "order-2", "3.00", "3.00", T0.plusSeconds(7));
        long again = redeem(first, "order-3", "12.34", "5.50", T0.plusSeconds(8));

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/redemptions").param("size", "2")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[*].redemptionId", contains((int) cancelled, (int) standing)))
                .andExpect(jsonPath("$.content[0].issuanceId").value(first))
                .andExpect(jsonPath("$.content[0].userId").value(30))
                .andExpect(jsonPath("$.content[0].orderId").value("order-1"))
                .andExpect(jsonPath("$.content[0].orderAmount").value(100.0))
                .andExpect(jsonPath("$.content[0].discount").value(5.5))
                .andExpect(jsonPath("$.content[0].payable").value(94.5))
                .andExpect(jsonPath("$.content[0].status").value("CANCELLED"))
                .andExpect(jsonPath("$.content[0].redeemedAt").value(T0.toString()))
                .andExpect(jsonPath("$.content[0].cancelledAt").value(T0.plusSeconds(5).toString()))
                .andExpect(jsonPath("$.content[1].status").value("REDEEMED"))
                .andExpect(jsonPath("$.content[1].payable").value(0.0))
                .andExpect(jsonPath("$.content[1].cancelledAt").doesNotExist())
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.totalElements").value(3))
                .andExpect(jsonPath("$.totalPages").value(2));
        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/redemptions").param("size", "2").param("page", "1")))
                .andExpect(jsonPath("$.content[*].redemptionId", contains((int) again)))
                .andExpect(jsonPath("$.content[0].orderAmount").value(12.34))
                .andExpect(jsonPath("$.content[0].payable").value(6.84))
                .andExpect(jsonPath("$.page").value(1));
    }

    @Test
    void answersAnEmptyPageForACouponNobodyRedeemed() throws Exception {
        long id = createOpenCoupon("NOT-REDEEMED");
        issue(id, 1, id + "-00000000-0000-0000-0000-000000000001", T0);

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/redemptions")))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"content":[],"page":0,"size":20,"totalElements":0,"totalPages":0}""", true));
    }

    @Test
    void answersNotFoundForAnUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(get(COUPONS + "/55/redemptions")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"size, 101", "size, 0", "size, abc", "page, -1", "page, 1000001"})
    void refusesAPageOutsideTheLimits(String parameter, String value) throws Exception {
        long id = createOpenCoupon("LIMITS");

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/redemptions").param(parameter, value)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value(parameter));
    }
}
