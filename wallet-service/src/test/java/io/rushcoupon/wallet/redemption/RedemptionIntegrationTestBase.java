package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.rushcoupon.wallet.WalletIntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/** Redemptions and cancellations through the API, and what they left in PostgreSQL. */
abstract class RedemptionIntegrationTestBase extends WalletIntegrationTest {

    /** Bound of every wait on another thread: generous, the machine is small and busy. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final JsonMapper JSON = JsonMapper.builder().build();

    static String order(String orderId, String amount) {
        return "{\"orderId\":" + JSON.writeValueAsString(orderId) + ",\"orderAmount\":" + amount + "}";
    }

    ResultActions redeem(long userId, long issuanceId, @Nullable String key, String body) throws Exception {
        MockHttpServletRequestBuilder request = post(ME + "/coupons/{id}/redemptions", issuanceId)
                .contentType(MediaType.APPLICATION_JSON).content(body);
        if (key != null) {
            request.header(RedemptionController.IDEMPOTENCY_KEY, key);
        }
        return mvc.perform(as(userId, request));
    }

    /** A redemption expected to succeed; answers its body as sent. */
    String redeemed(long userId, long issuanceId, String key, String amount) throws Exception {
        return redeem(userId, issuanceId, key, order("order-" + key, amount))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
    }

    static long redemptionId(String body) {
        return JSON.readTree(body).get("redemptionId").asLong();
    }

    /** A number of a JSON answer as written (a parsed one would lose its trailing zeros). */
    static String decimal(String body, String field) {
        Matcher number = Pattern.compile("\"" + field + "\":(-?[0-9.eE+]+)").matcher(body);
        assertThat(number.find()).as("%s in %s", field, body).isTrue();
        return number.group(1);
    }

    ResultActions cancel(long userId, long redemptionId) throws Exception {
        return mvc.perform(as(userId, post(ME + "/redemptions/{id}/cancellation", redemptionId)));
    }

    Map<String, Object> issuanceRow(long issuanceId) {
        return jdbc.sql("SELECT status, redeemed_at FROM coupon_issuance WHERE id = ?").param(issuanceId)
                .query().singleRow();
    }

    long standingRedemptions(long issuanceId) {
        return jdbc.sql("SELECT count(*) FROM coupon_redemption WHERE issuance_id = ? AND status = 'REDEEMED'")
                .param(issuanceId).query(Long.class).single();
    }
}
