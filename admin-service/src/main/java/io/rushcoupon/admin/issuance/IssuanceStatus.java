package io.rushcoupon.admin.issuance;

import java.time.Instant;

/**
 * What coupon_issuance.status holds, and what a reader sees: a row still AVAILABLE at or past its
 * expires_at reads EXPIRED before the wallet's expiry job marks it. {@link #EXPIRED_SQL} is the
 * same rule for the counting queries, with the instant as {@code :now}.
 */
public enum IssuanceStatus {
    AVAILABLE,
    REDEEMED,
    EXPIRED;

    /** Rows that read EXPIRED at {@code :now}; columns of coupon_issuance unqualified. */
    public static final String EXPIRED_SQL = "(status = 'EXPIRED' OR (status = 'AVAILABLE' AND expires_at <= :now))";

    /** Rows that read AVAILABLE at {@code :now}. */
    public static final String AVAILABLE_SQL = "(status = 'AVAILABLE' AND expires_at > :now)";

    /** The status at {@code now} of a row holding {@code stored} and expiring at {@code expiresAt}. */
    public static IssuanceStatus derive(String stored, Instant expiresAt, Instant now) {
        IssuanceStatus status = valueOf(stored);
        return status == AVAILABLE && !now.isBefore(expiresAt) ? EXPIRED : status;
    }
}
