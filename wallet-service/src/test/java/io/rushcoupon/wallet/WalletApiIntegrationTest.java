package io.rushcoupon.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.rushcoupon.testsupport.ScrapeNames;
import io.rushcoupon.testsupport.TestTokens;
import io.rushcoupon.wallet.expiry.ExpiryJob;

/** What surrounds the wallet's answers: its API document, its metrics, who may ask what. */
class WalletApiIntegrationTest extends WalletIntegrationTest {

    private static final String EXPIRIES = "rushcoupon_coupon_expiries_total";

    @Autowired
    ExpiryJob expiryJob;

    @Test
    void documentsTheWalletsPathsWithTheBearerScheme() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/me/coupons'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/me/coupons'].get.parameters[?(@.name == 'status')]").exists())
                .andExpect(jsonPath("$.paths['/api/v1/me/coupons/{issuanceId}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/me/coupon-stats'].get").exists())
                .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[0].bearer").exists());
    }

    @Test
    void servesSwaggerUi() throws Exception {
        mvc.perform(get("/swagger-ui/index.html"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("swagger-ui")));
    }

    @Test
    void exposesTheExpiryCounterToPrometheusWithoutAToken() throws Exception {
        Instant now = Instant.parse("2030-06-01T12:00:00Z");
        walletClock().set(now);
        issue(fixedCoupon("P1"), 41, now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)));
        issue(fixedCoupon("P2"), 41, now.minus(Duration.ofDays(31)), now.minusSeconds(1));
        double before = expiries(scrape());

        assertThat(expiryJob.expireDue()).isEqualTo(2);

        String after = scrape();
        assertThat(ScrapeNames.metricNames(after)).contains(EXPIRIES);
        assertThat(expiries(after) - before).isEqualTo(2);
    }

    private String scrape() throws Exception {
        return mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    private static double expiries(String scrape) {
        return scrape.lines().filter(line -> line.startsWith(EXPIRIES + "{") || line.startsWith(EXPIRIES + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {ME + "/coupons", ME + "/coupons/1", ME + "/coupon-stats"})
    void refusesTheWalletWithoutAValidToken(String path) throws Exception {
        mvc.perform(get(path))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
        mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer "
                        + TestTokens.sign("another-secret-0123456789-abcdefghijklmnopqrs", claims -> claims.subject("5"))))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
    }

    /** An admin token is a user token too: its sub is a user id, and the wallet answers that user's coupons. */
    @Test
    void answersAnAdminTokenAsTheUserOfItsSub() throws Exception {
        long issuance = issue(fixedCoupon("ADM"), 1);

        mvc.perform(get(ME + "/coupons").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.admin()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[0].issuanceId").value((int) issuance));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/admin/coupons", "/api/v1/issue-requests/1", "/api/v1/meta", "/actuator/env",
            "/actuator/metrics"})
    void deniesEveryPathOutsideTheWalletToAUser(String path) throws Exception {
        mvc.perform(as(7, get(path)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("FORBIDDEN"));
        mvc.perform(get(path))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
    }

    @Test
    void answersAnotherMethodOnTheListingAsAProblem() throws Exception {
        mvc.perform(as(7, post(ME + "/coupons")))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
