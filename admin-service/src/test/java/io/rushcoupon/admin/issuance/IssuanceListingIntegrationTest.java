package io.rushcoupon.admin.issuance;

import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.rushcoupon.admin.AdminIntegrationTest;

class IssuanceListingIntegrationTest extends AdminIntegrationTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void listsIssuanceRowsInIssueOrderInPages() throws Exception {
        long id = createOpenCoupon("LISTED");
        long other = createOpenCoupon("OTHER");
        issue(id, 30, id + "-00000000-0000-0000-0000-000000000030", T0);
        issue(other, 30, other + "-00000000-0000-0000-0000-000000000030", T0);
        issue(id, 10, id + "-00000000-0000-0000-0000-000000000010", T0.plusSeconds(1));
        issue(id, 20, id + "-00000000-0000-0000-0000-000000000020", T0.plusSeconds(2));

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/issuances").param("size", "2")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[*].userId", contains(30, 10)))
                .andExpect(jsonPath("$.content[0].id").value(1))
                .andExpect(jsonPath("$.content[0].requestId").value(id + "-00000000-0000-0000-0000-000000000030"))
                .andExpect(jsonPath("$.content[0].issuedAt").value(T0.toString()))
                .andExpect(jsonPath("$.content[0].expiresAt").value(T0.plus(Duration.ofDays(30)).toString()))
                .andExpect(jsonPath("$.content[0].redeemedAt").doesNotExist())
                .andExpect(jsonPath("$.totalElements").value(3))
                .andExpect(jsonPath("$.totalPages").value(2));
        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/issuances").param("size", "2").param("page", "1")))
                .andExpect(jsonPath("$.content[*].userId", contains(20)))
                .andExpect(jsonPath("$.page").value(1));
    }

    @Test
    void answersEmptyPageForCouponNobodyHolds() throws Exception {
        long id = createOpenCoupon("EMPTY");

        mvc.perform(asAdmin(get(COUPONS + "/" + id + "/issuances")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content").isEmpty())
                .andExpect(jsonPath("$.size").value(20))
                .andExpect(jsonPath("$.totalElements").value(0))
                .andExpect(jsonPath("$.totalPages").value(0));
    }

    @Test
    void answersNotFoundForUnknownCouponAndBadRequestForHugePage() throws Exception {
        mvc.perform(asAdmin(get(COUPONS + "/55/issuances")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
        mvc.perform(asAdmin(get(COUPONS + "/55/issuances").param("size", "1000")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }
}
