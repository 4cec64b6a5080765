package io.rushcoupon.admin.coupon;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;
import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.coupon.CouponStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A coupon as admins see it.
 *
 * @param status         derived from state, window and stock at the time of the answer
 * @param state          what an admin decided: ACTIVE, PAUSED or CLOSED
 * @param issuedQuantity units taken from the stock in PostgreSQL (total − remaining)
 * @param version        the optimistic-lock version; also the ETag
 */
record CouponResponse(
        long id,
        String code,
        String name,
        CouponType type,
        BigDecimal discountValue,
        @Nullable BigDecimal maxDiscountAmount,
        @Schema(description = "Orders below it get no discount; null: any order")
        @Nullable BigDecimal minOrderAmount,
        int totalQuantity,
        int remainingQuantity,
        int issuedQuantity,
        @Schema(description = "Derived from state, issue window and stock at the time of the answer")
        CouponStatus status,
        CouponState state,
        Instant issueStartsAt,
        Instant issueEndsAt,
        @Nullable Integer validDays,
        @Nullable Instant validUntil,
        @Schema(description = "Optimistic-lock version; the ETag is this number in quotes")
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static CouponResponse of(Coupon coupon, Instant now) {
        return new CouponResponse(coupon.id(), coupon.code(), coupon.name(), coupon.type(),
                coupon.discountValue(), coupon.maxDiscountAmount(), coupon.minOrderAmount(), coupon.totalQuantity(),
                coupon.remainingQuantity(), coupon.issuedQuantity(), coupon.statusAt(now), coupon.state(),
                coupon.issueStartsAt(), coupon.issueEndsAt(), coupon.validDays(), coupon.validUntil(),
                coupon.version(), coupon.createdAt(), coupon.updatedAt());
    }

    String etag() {
        return ETags.of(version);
    }
}
