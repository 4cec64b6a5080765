package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.rushcoupon.common.coupon.CouponType;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any JSON an admin may send to create or change a coupon ends as the API would answer it: the
 * JSON cannot be read (400), bean validation lists violations (400), the rules refuse the merged
 * coupon (400/409) — or it is accepted, and then the coupon is one PostgreSQL and Redis can hold
 * and the answer can be written. Never anything else, which the API would turn into a 500.
 *
 * <p>Uses the admin's own JSON mapper and validator (Boot's auto-configuration with the admin's
 * application.yml), not the HTTP stack, so the fuzzer runs thousands of inputs a second.
 * {@code ./mvnw verify} replays the inputs under {@code CouponValidationFuzzTestInputs}; to fuzz,
 * run with {@code JAZZER_FUZZ=1}: the ci-fuzz profile of this module's pom, active when CI=true.
 */
class CouponValidationFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static final List<String> CREATE_FIELDS = List.of("code", "name", "type", "discountValue",
            "maxDiscountAmount", "minOrderAmount", "totalQuantity", "issueStartsAt", "issueEndsAt", "validDays", "validUntil");

    /** Values that get the fuzzer past the first checks quickly; it mutates from there. */
    private static final List<String> HINTS = List.of("SUMMER-2030", "Summer drop", "FIXED_AMOUNT", "PERCENTAGE",
            "2026-12-01T09:00:00Z", "2026-12-02T10:00:00Z", "2027-01-01T00:00:00Z", "2000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z", "100", "5.50", "10000000", "3650", "0.01", "9999999999.99",
            "Party \uD83C\uDF89", "Broken \uD800", "\uDC00", "\u202E", "\u0000", "x\ny");

    private static final Spring SPRING = new Spring();

    @FuzzTest(maxDuration = "20s")
    void createIsReadableValidOrRefusedNeverFailing(FuzzedDataProvider data) {
        CreateCouponRequest request;
        try {
            request = SPRING.json.readValue(json(data, validCoupon()), CreateCouponRequest.class);
        } catch (JacksonException unreadable) {
            return; // 400 VALIDATION_FAILED (HttpMessageNotReadableException)
        }
        if (request == null) {
            return; // 400: the body is required
        }
        Set<ConstraintViolation<CreateCouponRequest>> violations = SPRING.validator.validate(request);
        if (!violations.isEmpty()) {
            assertThat(violations).allSatisfy(violation -> assertThat(violation.getMessage()).isNotBlank());
            return; // 400 with the fields listed
        }
        Coupon coupon = Coupon.create(request, NOW);
        ReflectionTestUtils.setField(coupon, "id", 1L);
        assertStorableAndAnswerable(coupon);
    }

    @FuzzTest(maxDuration = "20s")
    void updateIsReadableValidOrRefusedNeverFailing(FuzzedDataProvider data) {
        UpdateCouponRequest update;
        try {
            update = SPRING.json.readValue(json(data, SPRING.json.createObjectNode()), UpdateCouponRequest.class);
        } catch (JacksonException unreadable) {
            return;
        }
        if (update == null || !SPRING.validator.validate(update).isEmpty()) {
            return;
        }
        Coupon coupon = existingCoupon();
        try {
            coupon.update(update, NOW);
        } catch (CouponException refused) {
            assertThat(refused.code()).isIn(ErrorCode.VALIDATION_FAILED, ErrorCode.QUANTITY_BELOW_ISSUED);
            return;
        }
        assertStorableAndAnswerable(coupon);
    }

    /** What PostgreSQL's columns and constraints, Redis's epoch milliseconds and the JSON answer need. */
    private static void assertStorableAndAnswerable(Coupon coupon) {
        assertThat(coupon.code()).hasSizeBetween(1, CouponConstraints.CODE_MAX).matches(CouponConstraints.CODE_PATTERN);
        assertThat(coupon.name().codePointCount(0, coupon.name().length())).isBetween(1, CouponConstraints.NAME_MAX);
        assertThat(coupon.name()).as("no NUL for PostgreSQL").doesNotContain("\u0000");
        assertThat(hasLoneSurrogate(coupon.name())).as("no lone surrogate: not encodable as UTF-8").isFalse();
        assertMoney(coupon.discountValue());
        if (coupon.maxDiscountAmount() != null) {
            assertMoney(coupon.maxDiscountAmount());
        }
        if (coupon.minOrderAmount() != null) {
            assertMoney(coupon.minOrderAmount());
        }
        assertThat(coupon.totalQuantity()).isBetween(1, CouponConstraints.MAX_TOTAL_QUANTITY);
        assertThat(coupon.remainingQuantity()).isBetween(0, coupon.totalQuantity());
        assertThat(coupon.issueEndsAt()).isAfter(coupon.issueStartsAt());
        assertThat(coupon.issueStartsAt()).isBetween(CouponRules.EARLIEST, CouponRules.LATEST);
        assertThat(coupon.issueEndsAt()).isBetween(CouponRules.EARLIEST, CouponRules.LATEST);
        assertThat(coupon.validDays() == null).isNotEqualTo(coupon.validUntil() == null);
        if (coupon.validUntil() != null) {
            assertThat(coupon.validUntil()).isAfter(coupon.issueEndsAt());
        }
        assertThatCode(() -> coupon.snapshot().issueEndsAt().toEpochMilli()).doesNotThrowAnyException();
        assertThatCode(() -> SPRING.json.writeValueAsBytes(CouponResponse.of(coupon, NOW)))
                .as("the answer can be written").doesNotThrowAnyException();
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void assertMoney(BigDecimal value) {
        assertThat(value.signum()).isPositive();
        assertThat(value.scale()).as("numeric(12, 2)").isLessThanOrEqualTo(CouponConstraints.MONEY_FRACTION_DIGITS);
        assertThat(value.precision() - value.scale()).as("numeric(12, 2)")
                .isLessThanOrEqualTo(CouponConstraints.MONEY_INTEGER_DIGITS);
    }

    /** A coupon already in the database: 100 units, 40 of them issued, an open window. */
    private static Coupon existingCoupon() {
        CreateCouponRequest request = new CreateCouponRequest("EXISTING", "Existing drop", CouponType.PERCENTAGE,
                new BigDecimal("10"), new BigDecimal("5000"), new BigDecimal("20"), 100, Instant.parse("2026-12-01T09:00:00Z"),
                Instant.parse("2026-12-02T09:00:00Z"), 30, null);
        Coupon coupon = Coupon.create(request, NOW);
        ReflectionTestUtils.setField(coupon, "id", 1L);
        ReflectionTestUtils.setField(coupon, "remainingQuantity", 60);
        return coupon;
    }

    /** A valid new coupon the fuzzer changes field by field, so it reaches acceptance often. */
    private static ObjectNode validCoupon() {
        ObjectNode coupon = SPRING.json.createObjectNode();
        coupon.put("code", "SUMMER-2030");
        coupon.put("name", "Summer drop");
        coupon.put("type", "PERCENTAGE");
        coupon.put("discountValue", new BigDecimal("10.5"));
        coupon.put("maxDiscountAmount", new BigDecimal("5000"));
        coupon.put("minOrderAmount", new BigDecimal("20.00"));
        coupon.put("totalQuantity", 100);
        coupon.put("issueStartsAt", "2026-12-01T09:00:00Z");
        coupon.put("issueEndsAt", "2026-12-02T10:00:00Z");
        coupon.put("validDays", 30);
        return coupon;
    }

    /**
     * {@code start} with fields set to fuzzed values, removed or added (unknown ones too), or now
     * and then raw text instead of an object.
     */
    private static String json(FuzzedDataProvider data, ObjectNode start) {
        if (data.consumeInt(0, 9) == 0) {
            return data.consumeRemainingAsString();
        }
        ObjectNode node = start;
        int changes = data.consumeInt(0, CREATE_FIELDS.size() + 2);
        for (int i = 0; i < changes; i++) {
            String field = data.consumeInt(0, 15) == 0 ? data.consumeString(12) : data.pickValue(CREATE_FIELDS);
            switch (data.consumeInt(0, 8)) {
                case 8 -> node.remove(field);
                case 0 -> node.put(field, data.consumeString(250));
                case 1 -> node.put(field, data.consumeLong());
                case 2 -> node.put(field, data.consumeInt());
                case 3 -> node.put(field, data.consumeDouble());
                case 4 -> node.put(field, new BigDecimal(data.consumeLong()).movePointLeft(data.consumeInt(-30, 30)));
                case 5 -> node.putNull(field);
                case 6 -> node.put(field, data.consumeBoolean());
                default -> node.put(field, data.pickValue(HINTS));
            }
        }
        return node.toString();
    }

    /** The admin's JSON mapper and validator, as Boot configures them from application.yml. */
    private static final class Spring {

        private final JsonMapper json;
        private final Validator validator;

        Spring() {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(JsonAndValidation.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .run();
            this.json = context.getBean(JsonMapper.class);
            this.validator = context.getBean(Validator.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({JacksonAutoConfiguration.class, ValidationAutoConfiguration.class})
    static class JsonAndValidation {
    }
}
