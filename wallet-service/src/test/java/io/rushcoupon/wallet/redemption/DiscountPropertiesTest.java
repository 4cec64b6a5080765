package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The discount rule over both coupon types and every order amount a request may carry (0.01 to
 * 9,999,999,999.99), with the coupon terms the admin may publish (V1's checks: a percentage at most
 * 100, values and caps positive with two decimals).
 */
class DiscountPropertiesTest {

    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal(RedemptionRequest.MAX_AMOUNT);

    record Terms(CouponType type, BigDecimal value, @Nullable BigDecimal max) {

        Discount on(BigDecimal order) {
            return Discount.of(type, value, max, order);
        }
    }

    @Property(tries = 2000)
    void discountIsNeverNegativeNorAboveTheOrderAndPayableIsTheRest(@ForAll("terms") Terms terms,
            @ForAll("amounts") BigDecimal order) {
        Discount discount = terms.on(order);

        assertThat(discount.discount()).isBetween(BigDecimal.ZERO, order);
        assertThat(discount.discount().scale()).isEqualTo(2);
        assertThat(discount.payable().scale()).isEqualTo(2);
        assertThat(discount.payable().add(discount.discount())).isEqualByComparingTo(order);
    }

    @Property(tries = 1000)
    void fixedAmountIsItsValueOrTheWholeOrder(@ForAll("fixedTerms") Terms terms, @ForAll("amounts") BigDecimal order) {
        assertThat(terms.on(order).discount()).isEqualByComparingTo(terms.value().min(order));
    }

    @Property(tries = 1000)
    void percentageIsTheShareRoundedDownToTheCentWithinItsCap(@ForAll("percentageTerms") Terms terms,
            @ForAll("amounts") BigDecimal order) {
        BigDecimal exact = order.multiply(terms.value()).movePointLeft(2);
        BigDecimal discount = terms.on(order).discount();

        assertThat(discount).isLessThanOrEqualTo(exact);
        if (terms.max() != null) {
            assertThat(discount).isLessThanOrEqualTo(terms.max());
        }
        boolean capped = terms.max() != null && discount.compareTo(terms.max()) == 0;
        if (!capped) {
            // rounded down: one cent more would be more than the share
            assertThat(discount.add(CENT)).isGreaterThan(exact);
        }
    }

    @Property(tries = 1000)
    void aLargerOrderNeverGetsASmallerDiscount(@ForAll("terms") Terms terms, @ForAll("amounts") BigDecimal order,
            @ForAll("amounts") BigDecimal other) {
        BigDecimal smaller = order.min(other);
        BigDecimal larger = order.max(other);

        assertThat(terms.on(larger).discount()).isGreaterThanOrEqualTo(terms.on(smaller).discount());
    }

    @Provide
    Arbitrary<BigDecimal> amounts() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(CENT, MAX_AMOUNT).ofScale(2),
                Arbitraries.bigDecimals().between(CENT, new BigDecimal("100.00")).ofScale(2),
                Arbitraries.of(CENT, MAX_AMOUNT));
    }

    @Provide
    Arbitrary<Terms> terms() {
        return Arbitraries.oneOf(fixedTerms(), percentageTerms());
    }

    @Provide
    Arbitrary<Terms> fixedTerms() {
        return Combinators.combine(amounts(), caps())
                .as((value, max) -> new Terms(CouponType.FIXED_AMOUNT, value, max));
    }

    @Provide
    Arbitrary<Terms> percentageTerms() {
        Arbitrary<BigDecimal> percent = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(CENT, new BigDecimal("100.00")).ofScale(2),
                Arbitraries.of(CENT, new BigDecimal("100.00")));
        return Combinators.combine(percent, caps())
                .as((value, max) -> new Terms(CouponType.PERCENTAGE, value, max));
    }

    private Arbitrary<@Nullable BigDecimal> caps() {
        return amounts().injectNull(0.4);
    }
}
