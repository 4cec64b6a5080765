package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;

import io.rushcoupon.common.coupon.CouponType;

/** A new coupon. Give exactly one of {@code validDays} and {@code validUntil}. */
@ValidCouponTerms
record CreateCouponRequest(
        @Schema(description = "Unique code: upper-case letters and digits, then also _ and -; at most 64",
                example = "SUMMER-2030")
        @NotNull @Size(min = 1, max = CouponConstraints.CODE_MAX)
        @Pattern(regexp = CouponConstraints.CODE_PATTERN,
                message = "must be upper-case letters and digits, then also _ and -")
        String code,

        @Schema(description = "Display name, no control characters", example = "Summer drop 10% off",
                minLength = 1, maxLength = CouponConstraints.NAME_MAX, pattern = CouponConstraints.NAME_PATTERN)
        @NotNull @CouponName
        String name,

        @NotNull CouponType type,

        @Schema(description = "Amount, or percent for PERCENTAGE (at most 100); two decimals at most")
        @NotNull @Positive
        @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS, fraction = CouponConstraints.MONEY_FRACTION_DIGITS)
        BigDecimal discountValue,

        @Schema(description = "Optional cap of the discount")
        @Positive
        @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS, fraction = CouponConstraints.MONEY_FRACTION_DIGITS)
        @Nullable BigDecimal maxDiscountAmount,

        @Schema(description = "Optional minimum order amount the coupon can be redeemed against")
        @Positive
        @Digits(integer = CouponConstraints.MONEY_INTEGER_DIGITS, fraction = CouponConstraints.MONEY_FRACTION_DIGITS)
        @Nullable BigDecimal minOrderAmount,

        @NotNull @Min(1) @Max(CouponConstraints.MAX_TOTAL_QUANTITY) Integer totalQuantity,

        @NotNull Instant issueStartsAt,

        @Schema(description = "End of the issue window, after issueStartsAt")
        @NotNull Instant issueEndsAt,

        @Schema(description = "Days an issued coupon stays valid; or give validUntil")
        @Min(1) @Max(CouponConstraints.MAX_VALID_DAYS) @Nullable Integer validDays,

        @Schema(description = "When issued coupons expire, after issueEndsAt; or give validDays")
        @Nullable Instant validUntil) {

    CouponTerms terms() {
        return new CouponTerms(type, discountValue, issueStartsAt, issueEndsAt, validDays, validUntil);
    }
}
