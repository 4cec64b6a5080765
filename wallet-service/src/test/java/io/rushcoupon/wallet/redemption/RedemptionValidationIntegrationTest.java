package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/** Hostile keys, amounts, order ids and ids: a clean 400 VALIDATION_FAILED, and nothing written. */
class RedemptionValidationIntegrationTest extends RedemptionIntegrationTestBase {

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                Arguments.of("an amount beyond any double", order("o-1", "1e400")),
                Arguments.of("an exponent beyond any int", order("o-1", "1e9999999999")),
                Arguments.of("a tiny amount", order("o-1", "1e-400")),
                Arguments.of("NaN as a string", order("o-1", "\"NaN\"")),
                Arguments.of("Infinity as a string", order("o-1", "\"Infinity\"")),
                Arguments.of("three fraction digits", order("o-1", "10.555")),
                Arguments.of("three fraction digits, the last a zero", order("o-1", "10.500")),
                Arguments.of("a negative amount", order("o-1", "-1.00")),
                Arguments.of("zero", order("o-1", "0")),
                Arguments.of("zero with decimals", order("o-1", "0.00")),
                Arguments.of("10^15", order("o-1", "1000000000000000")),
                Arguments.of("a cent above the maximum", order("o-1", "10000000000.00")),
                Arguments.of("a boolean amount", order("o-1", "true")),
                Arguments.of("a null amount", order("o-1", "null")),
                Arguments.of("no amount", "{\"orderId\":\"o-1\"}"),
                Arguments.of("no order id", "{\"orderAmount\":10}"),
                Arguments.of("an empty order id", order("", "10")),
                Arguments.of("an order id of 65 characters", order("x".repeat(65), "10")),
                Arguments.of("a huge order id", order("x".repeat(60_000), "10")),
                Arguments.of("a NUL in the order id", order("a\u0000b", "10")),
                Arguments.of("a line break in the order id", order("a\nb", "10")),
                Arguments.of("a C1 control in the order id", order("a\u0085b", "10")),
                Arguments.of("an unpaired surrogate in the order id", "{\"orderId\":\"a\\ud800b\",\"orderAmount\":10}"),
                Arguments.of("an unknown field", "{\"orderId\":\"o-1\",\"orderAmount\":10,\"discount\":10}"),
                Arguments.of("an array", "[]"),
                Arguments.of("not JSON", "orderAmount=10"),
                Arguments.of("an empty body", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void refusesAHostileBody(String what, String body) throws Exception {
        long issuance = issue(fixedCoupon("HOSTILE"), 1);

        assertRefused(redeem(1, issuance, "key-1", body));
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "with space", "tab\tkey", "umlaut-ä", "\u007F"})
    void refusesAMissingOrInvalidIdempotencyKey(@Nullable String key) throws Exception {
        long issuance = issue(fixedCoupon("KEYS"), 1);

        assertRefused(redeem(1, issuance, key, order("o-1", "10.00")));
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 10_000})
    void refusesAnOverlongIdempotencyKey(int length) throws Exception {
        long issuance = issue(fixedCoupon("LONGKEY"), 1);

        assertRefused(redeem(1, issuance, "k".repeat(length), order("o-1", "10.00")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "99999999999999999999", "1.5"})
    void refusesAnInvalidIssuanceId(String id) throws Exception {
        assertRefused(mvc.perform(as(1, post(ME + "/coupons/" + id + "/redemptions")
                .header(RedemptionController.IDEMPOTENCY_KEY, "key-1")
                .contentType(MediaType.APPLICATION_JSON).content(order("o-1", "10.00")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "99999999999999999999"})
    void refusesAnInvalidRedemptionId(String id) throws Exception {
        mvc.perform(as(1, post(ME + "/redemptions/" + id + "/cancellation")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.01", "9999999999.99", "10.5"})
    void redeemsTheExtremeAmounts(String amount) throws Exception {
        long issuance = issue(fixedCoupon("EXTREME"), 1);

        redeem(1, issuance, "!~" + "x".repeat(62), order("o-\u00e4\ud83d\ude00", amount))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.orderId").value("o-\u00e4\ud83d\ude00"));
    }

    private void assertRefused(ResultActions answer) throws Exception {
        answer.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(result -> assertThat(result.getResponse().getContentType())
                        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
        assertThat(count("redemption_idempotency")).isZero();
        assertThat(count("coupon_redemption")).isZero();
    }
}
