package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.rushcoupon.common.coupon.CouponType;

class DiscountTest {

    @Test
    void fixedAmountTakesItsValueOffTheOrder() {
        assertDiscount(CouponType.FIXED_AMOUNT, "5.50", null, "20.00", "5.50", "14.50");
    }

    @Test
    void fixedAmountNeverTakesMoreThanTheOrder() {
        assertDiscount(CouponType.FIXED_AMOUNT, "5.50", null, "3.20", "3.20", "0.00");
    }

    @Test
    void fixedAmountIgnoresTheCapMeantForPercentages() {
        assertDiscount(CouponType.FIXED_AMOUNT, "5.50", "1.00", "20.00", "5.50", "14.50");
    }

    @Test
    void percentageRoundsDownToTheCent() {
        // 15 % of 19.99 is 2.9985
        assertDiscount(CouponType.PERCENTAGE, "15", null, "19.99", "2.99", "17.00");
    }

    @Test
    void percentageOfTheSmallestOrderCanBeNothing() {
        assertDiscount(CouponType.PERCENTAGE, "10", null, "0.01", "0.00", "0.01");
    }

    @Test
    void percentageWithFractionalRateRoundsDown() {
        // 12.5 % of 0.99 is 0.12375
        assertDiscount(CouponType.PERCENTAGE, "12.50", null, "0.99", "0.12", "0.87");
    }

    @Test
    void percentageIsCappedByTheMaximumDiscount() {
        assertDiscount(CouponType.PERCENTAGE, "50", "20.00", "100.00", "20.00", "80.00");
    }

    @Test
    void percentageBelowTheCapIsNotCapped() {
        assertDiscount(CouponType.PERCENTAGE, "10", "20.00", "100.00", "10.00", "90.00");
    }

    @Test
    void hundredPercentTakesTheWholeOrder() {
        assertDiscount(CouponType.PERCENTAGE, "100", null, "9999999999.99", "9999999999.99", "0.00");
    }

    @Test
    void answersAmountsWithTwoFractionDigits() {
        Discount discount = Discount.of(CouponType.FIXED_AMOUNT, new BigDecimal("5"), null, new BigDecimal("10.5"));

        assertThat(discount.discount().scale()).isEqualTo(2);
        assertThat(discount.payable()).hasToString("5.50");
    }

    private static void assertDiscount(CouponType type, String value, @Nullable String max, String order,
            String expectedDiscount, String expectedPayable) {
        Discount discount = Discount.of(type, new BigDecimal(value), max == null ? null : new BigDecimal(max),
                new BigDecimal(order));

        assertThat(discount.discount()).hasToString(expectedDiscount);
        assertThat(discount.payable()).hasToString(expectedPayable);
    }
}
