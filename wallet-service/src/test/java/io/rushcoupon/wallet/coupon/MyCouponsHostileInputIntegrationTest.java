package io.rushcoupon.wallet.coupon;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

import io.rushcoupon.wallet.WalletIntegrationTest;

/**
 * Query parameters and ids no client should send (as written, not encoded again): each a 4xx problem
 * detail with a stable code, never a 500.
 */
class MyCouponsHostileInputIntegrationTest extends WalletIntegrationTest {

    private static final long USER = 3;

    @ParameterizedTest
    @ValueSource(strings = {"page=-1", "page=abc", "page=1000001", "page=99999999999", "size=0", "size=-1",
            "size=101", "size=abc", "size=1e2", "status=FOO", "status=available", "status=AVAILABLE,EXPIRED",
            "status=CANCELLED"})
    void refusesABadQueryOfTheListing(String query) throws Exception {
        mvc.perform(as(USER, get(URI.create(ME + "/coupons?" + query))))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").exists());
    }

    @ParameterizedTest
    @CsvSource({
            "abc, 400, VALIDATION_FAILED",
            "-5, 400, VALIDATION_FAILED",
            "0, 400, VALIDATION_FAILED",
            "1.5, 400, VALIDATION_FAILED",
            "99999999999999999999, 400, VALIDATION_FAILED",
            "9223372036854775807, 404, ISSUANCE_NOT_FOUND",
            "%27%20OR%201=1, 400, VALIDATION_FAILED"})
    void answersAHostileIdWithAProblemNeverA500(String id, int status, String code) throws Exception {
        issue(fixedCoupon("MINE"), USER);

        mvc.perform(as(USER, get(URI.create(ME + "/coupons/" + id))))
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value(code));
    }
}
