package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.coupon.CouponType;

class CouponRulesTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("2030-01-02T00:00:00Z");

    private static CouponTerms terms(CouponType type, String discount, Instant start, Instant end, Integer validDays,
            Instant validUntil) {
        return new CouponTerms(type, new BigDecimal(discount), start, end, validDays, validUntil);
    }

    private static java.util.List<String> fields(CouponTerms terms) {
        return CouponRules.check(terms).stream().map(CouponRules.Violation::field).toList();
    }

    @Test
    void acceptsConsistentTerms() {
        assertThat(CouponRules.check(terms(CouponType.PERCENTAGE, "100", START, END, 30, null))).isEmpty();
        assertThat(CouponRules.check(terms(CouponType.FIXED_AMOUNT, "5000", START, END, null, END.plusSeconds(1))))
                .isEmpty();
    }

    @Test
    void allowsLargeFixedAmountButNotPercentageAboveHundred() {
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "100.01", START, END, 1, null))).isEmpty();
        assertThat(fields(terms(CouponType.PERCENTAGE, "100.01", START, END, 1, null))).containsExactly("discountValue");
    }

    @Test
    void refusesWindowEndingAtOrBeforeItsStart() {
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", START, START, 1, null))).containsExactly("issueEndsAt");
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", END, START, 1, null))).containsExactly("issueEndsAt");
    }

    @Test
    void requiresExactlyOneValidity() {
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", START, END, null, null)))
                .containsExactly("validDays", "validUntil");
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", START, END, 1, END.plusSeconds(1))))
                .containsExactly("validDays", "validUntil");
    }

    @Test
    void refusesValidUntilWithinTheWindow() {
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", START, END, null, END))).containsExactly("validUntil");
    }

    @Test
    void refusesInstantsOutsideSaneRange() {
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", Instant.parse("1999-12-31T23:59:59Z"), END, 1, null)))
                .containsExactly("issueStartsAt");
        assertThat(fields(terms(CouponType.FIXED_AMOUNT, "1", START, Instant.parse("+10000-01-01T00:00:00Z"), 1,
                null))).containsExactly("issueEndsAt");
    }
}
