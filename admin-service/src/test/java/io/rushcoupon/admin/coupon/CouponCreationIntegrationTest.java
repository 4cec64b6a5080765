package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponView;

class CouponCreationIntegrationTest extends AdminIntegrationTest {

    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private static final Instant END = START.plus(Duration.ofDays(2));

    @Test
    void createsCouponWithLocationETagAndBody() throws Exception {
        mvc.perform(json(post(COUPONS), """
                        {"code":"SUMMER-2030","name":"Summer drop","type":"PERCENTAGE","discountValue":12.5,
                         "maxDiscountAmount":30,"totalQuantity":1000,"issueStartsAt":"%s","issueEndsAt":"%s",
                         "validUntil":"%s"}""".formatted(START, END, END.plus(Duration.ofDays(30)))))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith(COUPONS + "/1")))
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.id").value(1))
                .andExpect(jsonPath("$.code").value("SUMMER-2030"))
                .andExpect(jsonPath("$.type").value("PERCENTAGE"))
                .andExpect(jsonPath("$.discountValue").value(12.5))
                .andExpect(jsonPath("$.maxDiscountAmount").value(30))
                .andExpect(jsonPath("$.totalQuantity").value(1000))
                .andExpect(jsonPath("$.remainingQuantity").value(1000))
                .andExpect(jsonPath("$.issuedQuantity").value(0))
                .andExpect(jsonPath("$.state").value("ACTIVE"))
                .andExpect(jsonPath("$.status").value("OPEN"))
                .andExpect(jsonPath("$.issueStartsAt").value(START.toString()))
                .andExpect(jsonPath("$.validDays").doesNotExist())
                .andExpect(jsonPath("$.version").value(0));

        assertThat(count("coupon")).isEqualTo(1);
    }

    @Test
    void keepsAnOptionalMinimumOrderAmount() throws Exception {
        long withMinimum = createCoupon(couponJson("MIN-ORDER").replace("\"validDays\":30",
                "\"validDays\":30,\"minOrderAmount\":9999999999.99"));
        long without = createOpenCoupon("NO-MIN-ORDER");

        mvc.perform(asAdmin(get(COUPONS + "/" + withMinimum)))
                .andExpect(jsonPath("$.minOrderAmount").value(9999999999.99));
        mvc.perform(asAdmin(get(COUPONS + "/" + without)))
                .andExpect(jsonPath("$.minOrderAmount").doesNotExist());
        assertThat(jdbc.sql("SELECT min_order_amount FROM coupon ORDER BY id").query(BigDecimal.class).list())
                .containsExactly(new BigDecimal("9999999999.99"), null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = NOT_MONEY)
    void refusesAMinimumOrderAmountThatIsNoMoney(String what, String amount) throws Exception {
        mvc.perform(json(post(COUPONS), couponJson("BAD-MIN").replace("\"validDays\":30",
                        "\"validDays\":30,\"minOrderAmount\":" + amount)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[*].field", contains("minOrderAmount")));
        assertThat(count("coupon")).isZero();
        assertThat(redisKeyCount()).isZero();
    }

    @Test
    void publishesNewCouponToRedisWithFullStock() throws Exception {
        long id = createCoupon("REDIS-1", 250, START, END);

        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.name()).isEqualTo("Coupon REDIS-1");
        assertThat(view.state()).isEqualTo(CouponState.ACTIVE);
        assertThat(view.totalQuantity()).isEqualTo(250);
        assertThat(view.remaining()).isEqualTo(250);
        assertThat(view.issueStartsAt()).isEqualTo(START);
        assertThat(view.issueEndsAt()).isEqualTo(END);
    }

    @Test
    void refusesDuplicateCodeWithConflict() throws Exception {
        createOpenCoupon("TAKEN");

        mvc.perform(json(post(COUPONS), couponJson("TAKEN")))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("COUPON_CODE_TAKEN"));
        assertThat(count("coupon")).isEqualTo(1);
    }

    @Test
    void refusesInvalidFieldsListingEachAndWritesNothing() throws Exception {
        createOpenCoupon("EXISTING");
        long couponsBefore = count("coupon");
        long keysBefore = redisKeyCount();

        mvc.perform(json(post(COUPONS), """
                        {"code":"lower case","name":"bad\\u0007name","type":"PERCENTAGE","discountValue":100.001,
                         "maxDiscountAmount":-1,"totalQuantity":0,"issueStartsAt":"%s","issueEndsAt":"%s",
                         "validDays":0}""".formatted(END, START)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[*].field", hasItem("code")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("discountValue")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("maxDiscountAmount")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("totalQuantity")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("issueEndsAt")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("validDays")));

        assertThat(count("coupon")).isEqualTo(couponsBefore);
        assertThat(redisKeyCount()).isEqualTo(keysBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            percentage over 100      | "type":"PERCENTAGE","discountValue":100.01,"validDays":1           | discountValue
            three decimals           | "type":"FIXED_AMOUNT","discountValue":1.005,"validDays":1          | discountValue
            no validity              | "type":"FIXED_AMOUNT","discountValue":1                            | validDays
            both validities          | "type":"FIXED_AMOUNT","discountValue":1,"validDays":1,"validUntil":"2099-01-01T00:00:00Z" | validUntil
            validUntil inside window | "type":"FIXED_AMOUNT","discountValue":1,"validUntil":"2001-01-01T00:00:00Z" | validUntil
            validDays over 3650      | "type":"FIXED_AMOUNT","discountValue":1,"validDays":3651           | validDays
            """)
    void refusesInconsistentTerms(String rule, String terms, String field) throws Exception {
        mvc.perform(json(post(COUPONS), """
                        {"code":"RULES","name":"Rules",%s,"totalQuantity":10,
                         "issueStartsAt":"%s","issueEndsAt":"%s"}""".formatted(terms, START, END)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[*].field", hasItem(field)));
        assertThat(count("coupon")).isZero();
        assertThat(redisKeyCount()).isZero();
    }

    @Test
    void refusesQuantityAboveTenMillionAndLongCode() throws Exception {
        mvc.perform(json(post(COUPONS), couponJson("X".repeat(65), 10_000_001, START, END)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("code", "totalQuantity")));
    }

    @Test
    void refusesUnknownEnumValueNamingTheField() throws Exception {
        mvc.perform(json(post(COUPONS), couponJson("ENUM").replace("FIXED_AMOUNT", "FREE_LUNCH")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("type"));
        assertThat(count("coupon")).isZero();
    }

    @Test
    void refusesUnknownField() throws Exception {
        mvc.perform(json(post(COUPONS), couponJson("UNKNOWN").replace("\"validDays\"", "\"colour\":\"red\",\"validDays\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("colour"));
    }

    @Test
    void refusesMalformedJson() throws Exception {
        mvc.perform(json(post(COUPONS), "{\"code\": \"BROKEN\", "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
        assertThat(count("coupon")).isZero();
        assertThat(redisKeyCount()).isZero();
    }

    @Test
    void refusesNonIsoInstant() throws Exception {
        mvc.perform(json(post(COUPONS), couponJson("WHEN", 100, START, END).replace(START.toString(), "yesterday")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("issueStartsAt"));
    }
}
