package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;

/**
 * What a coupon takes off an order, in cents (scale 2): never negative, never above the order.
 *
 * @param discount what the coupon takes off
 * @param payable  what is left to pay: the order amount less the discount
 */
public record Discount(BigDecimal discount, BigDecimal payable) {

    static final int SCALE = 2;

    /**
     * FIXED_AMOUNT gives {@code min(discountValue, orderAmount)}; PERCENTAGE gives
     * {@code orderAmount × discountValue / 100} rounded down to the cent, capped by
     * {@code maxDiscountAmount} when set.
     *
     * @param orderAmount positive, at most two fraction digits (the request was validated)
     */
    public static Discount of(CouponType type, BigDecimal discountValue, @Nullable BigDecimal maxDiscountAmount,
            BigDecimal orderAmount) {
        BigDecimal order = orderAmount.setScale(SCALE, RoundingMode.UNNECESSARY);
        BigDecimal raw = switch (type) {
            case FIXED_AMOUNT -> discountValue;
            case PERCENTAGE -> {
                BigDecimal percent = order.multiply(discountValue).movePointLeft(2).setScale(SCALE, RoundingMode.DOWN);
                yield maxDiscountAmount == null ? percent : percent.min(maxDiscountAmount);
            }
        };
        BigDecimal discount = raw.max(BigDecimal.ZERO).min(order).setScale(SCALE, RoundingMode.DOWN);
        return new Discount(discount, order.subtract(discount));
    }
}
