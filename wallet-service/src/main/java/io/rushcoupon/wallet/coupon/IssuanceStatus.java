package io.rushcoupon.wallet.coupon;

/**
 * What coupon_issuance.status holds. The status a user sees is {@link #at derived}: a row still
 * AVAILABLE past its expiresAt is EXPIRED before the expiry job gets to mark it.
 */
public enum IssuanceStatus {
    AVAILABLE,
    REDEEMED,
    EXPIRED;

    /** The status at {@code now} of a row holding this one and expiring at {@code expiresAt}. */
    public IssuanceStatus at(java.time.Instant now, java.time.Instant expiresAt) {
        return this == AVAILABLE && !now.isBefore(expiresAt) ? EXPIRED : this;
    }
}
