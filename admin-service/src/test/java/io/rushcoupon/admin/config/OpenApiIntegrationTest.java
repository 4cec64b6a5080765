package io.rushcoupon.admin.config;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

import io.rushcoupon.admin.AdminIntegrationTest;

class OpenApiIntegrationTest extends AdminIntegrationTest {

    @Test
    void documentsEveryAdminPathWithBearerScheme() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}'].patch").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}'].delete").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/pause'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/resume'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/close'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/issuances'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/stats'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/reconcile'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}/redemptions'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/admin/users/{userId}/coupon-stats'].get").exists())
                .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[0].bearer").exists());
    }

    @Test
    void documentsWhenADeleteOrAChangeOfTotalIsRefusedAndTheNameFormat() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}'].delete.description",
                        allOf(containsString("COUPON_ACTIVE"), containsString("COUPON_HAS_ISSUANCES"))))
                .andExpect(jsonPath("$.paths['/api/v1/admin/coupons/{id}'].patch.description",
                        containsString("QUANTITY_BELOW_ISSUED")))
                .andExpect(jsonPath("$.components.schemas.CreateCouponRequest.properties.name.maxLength").value(200))
                .andExpect(jsonPath("$.components.schemas.UpdateCouponRequest.properties.name.pattern").exists())
                .andExpect(jsonPath("$.components.schemas.UpdateCouponRequest.properties.minOrderAmount.description",
                        containsString("an explicit null removes it")))
                .andExpect(jsonPath("$.paths['/api/v1/admin/users/{userId}/coupon-stats'].get.description",
                        containsString("1000")));
    }
}
