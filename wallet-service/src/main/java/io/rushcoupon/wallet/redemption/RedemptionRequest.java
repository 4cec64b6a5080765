package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.math.RoundingMode;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;

/** A redemption of a wallet coupon against an order. */
record RedemptionRequest(
        @Schema(description = "The shop's order id: 1 to 64 characters, no control characters", example = "order-4711")
        @NotNull @OrderId
        @Nullable String orderId,

        @Schema(description = "The order's amount before the discount: above 0, at most 9999999999.99, two "
                + "decimals at most", example = "59.90")
        @NotNull @Positive @DecimalMax(MAX_AMOUNT) @Digits(integer = 10, fraction = Discount.SCALE)
        @Nullable BigDecimal orderAmount) {

    /** coupon_redemption.order_amount is NUMERIC(12, 2). */
    static final String MAX_AMOUNT = "9999999999.99";

    /** The validated order id. */
    String order() {
        return java.util.Objects.requireNonNull(orderId);
    }

    /** The validated amount with scale 2: 10.5 and 10.50 are one amount. */
    BigDecimal amount() {
        return java.util.Objects.requireNonNull(orderAmount).setScale(Discount.SCALE, RoundingMode.UNNECESSARY);
    }

    /**
     * What makes two requests with one {@code Idempotency-Key} the same request. An order id has no
     * control character, so the line breaks cannot be forged.
     */
    String canonical(long issuanceId) {
        return "issuanceId=" + issuanceId + "\norderId=" + order() + "\norderAmount=" + amount().toPlainString();
    }
}
