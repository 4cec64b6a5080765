package io.rushcoupon.wallet.coupon;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponType;
import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * A coupon in a user's wallet, as the API answers it.
 *
 * @param status     derived at the time of the answer: AVAILABLE past expiresAt reads EXPIRED
 * @param redeemedAt when the standing redemption was made; null when none stands
 */
public record WalletCoupon(
        long issuanceId,
        long couponId,
        String code,
        String name,
        CouponType type,
        BigDecimal discountValue,
        @Nullable BigDecimal maxDiscountAmount,
        @Nullable BigDecimal minOrderAmount,
        IssuanceStatus status,
        Instant issuedAt,
        Instant expiresAt,
        @Nullable Instant redeemedAt) {

    public static WalletCoupon of(Issuance issuance, Instant now) {
        CouponTerms terms = issuance.coupon();
        return new WalletCoupon(issuance.id(), terms.id(), terms.code(), terms.name(), terms.type(),
                terms.discountValue(), terms.maxDiscountAmount(), terms.minOrderAmount(), issuance.statusAt(now),
                issuance.issuedAt(), issuance.expiresAt(), issuance.redeemedAt());
    }
}
