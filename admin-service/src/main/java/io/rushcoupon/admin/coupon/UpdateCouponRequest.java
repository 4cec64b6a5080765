package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

import io.rushcoupon.common.coupon.CouponType;

/**
 * A partial update: a field left out (or null) stays as it is. The code cannot change. Giving
 * {@code validDays} replaces a {@code validUntil} and the other way round; a cap
 * ({@code maxDiscountAmount}) can be changed but not removed by PATCH. {@code minOrderAmount} is
 * the one field an explicit null removes: absent it is null here (unchanged), null in the JSON is
 * {@code Optional.empty()} (removed), see {@link ClearableAmount}.
 */
@Schema(description = "Fields to change; absent or null fields stay as they are, except minOrderAmount, "
        + "which an explicit null removes")
record UpdateCouponRequest(
        @Schema(description = "Display name, no control characters", minLength = 1,
                maxLength = CouponConstraints.NAME_MAX, pattern = CouponConstraints.NAME_PATTERN)
        @CouponName
        @Nullable String name,

        @Nullable CouponType type,

        @Positive
        @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS, fraction = CouponConstraints.MONEY_FRACTION_DIGITS)
        @Nullable BigDecimal discountValue,

        @Positive
        @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS, fraction = CouponConstraints.MONEY_FRACTION_DIGITS)
        @Nullable BigDecimal maxDiscountAmount,

        @Schema(description = "New minimum order amount, above 0 with two decimals at most; an explicit null "
                + "removes it", nullable = true)
        @JsonDeserialize(using = ClearableAmount.class)
        @Nullable Optional<@Positive @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS,
                fraction = CouponConstraints.MONEY_FRACTION_DIGITS) BigDecimal> minOrderAmount,

        @Schema(description = "New total; remaining moves by the same delta; not below the units issued")
        @Min(1) @Max(CouponConstraints.MAX_TOTAL_QUANTITY) @Nullable Integer totalQuantity,

        @Nullable Instant issueStartsAt,

        @Nullable Instant issueEndsAt,

        @Min(1) @Max(CouponConstraints.MAX_VALID_DAYS) @Nullable Integer validDays,

        @Nullable Instant validUntil) {
}
