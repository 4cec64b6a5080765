package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

class RedemptionLookupIntegrationTest extends RedemptionIntegrationTestBase {

    @Test
    void theLocationOfARedemptionAnswersItStandingAndThenCancelled() throws Exception {
        long coupon = fixedCoupon("LOOKUP");
        long issuance = issue(coupon, 1);
        MvcResult created = redeem(1, issuance, "look", order("order-look", "20.00"))
                .andExpect(status().isCreated()).andReturn();
        String location = created.getResponse().getHeader("Location");
        long redemptionId = redemptionId(created.getResponse().getContentAsString());
        assertThat(location).isEqualTo(ME + "/redemptions/" + redemptionId);

        String standing = mvc.perform(as(1, get(location)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.redemptionId").value(redemptionId))
                .andExpect(jsonPath("$.issuanceId").value(issuance))
                .andExpect(jsonPath("$.couponId").value(coupon))
                .andExpect(jsonPath("$.orderId").value("order-look"))
                .andExpect(jsonPath("$.status").value("REDEEMED"))
                .andExpect(jsonPath("$.cancelledAt").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        assertThat(decimal(standing, "discount")).isEqualTo("5.50");
        assertThat(decimal(standing, "payable")).isEqualTo("14.50");

        cancel(1, redemptionId).andExpect(status().isOk());
        mvc.perform(as(1, get(location)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.cancelledAt").isNotEmpty());
    }

    @Test
    void anotherUsersOrAnUnknownRedemptionIsNotFound() throws Exception {
        long issuance = issue(fixedCoupon("NOT-YOURS"), 2);
        long redemptionId = redemptionId(redeemed(2, issuance, "theirs", "20.00"));

        mvc.perform(as(1, get(ME + "/redemptions/{id}", redemptionId)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("REDEMPTION_NOT_FOUND"));
        mvc.perform(as(2, get(ME + "/redemptions/{id}", redemptionId + 1000)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("REDEMPTION_NOT_FOUND"));
        mvc.perform(as(2, get(ME + "/redemptions/abc")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
    }
}
