package io.rushcoupon.common.coupon;

import java.time.Instant;

/**
 * What coupon_issuance.status holds (V3__wallet.sql), and the one rule a reader applies to it: a
 * row still AVAILABLE at or past its expires_at reads EXPIRED, before the wallet's expiry job marks
 * it. {@link #at} is the rule in Java; the SQL fragments are the same rule for queries (columns of
 * coupon_issuance unqualified, the instant as {@code :now}). Wallet and admin read by it alike.
 */
public enum IssuanceStatus {
    AVAILABLE,
    REDEEMED,
    EXPIRED;

    /** Rows that read AVAILABLE at {@code :now}: the only ones a redemption may take. */
    public static final String AVAILABLE_SQL = "(status = 'AVAILABLE' AND expires_at > :now)";

    /** Rows that read EXPIRED at {@code :now}. */
    public static final String EXPIRED_SQL = "(status = 'EXPIRED' OR (status = 'AVAILABLE' AND expires_at <= :now))";

    /** Rows that read EXPIRED at {@code :now} but are still stored AVAILABLE: the expiry job's work. */
    public static final String DUE_SQL = "(status = 'AVAILABLE' AND expires_at <= :now)";

    /** The status at {@code now} of a row holding this one and expiring at {@code expiresAt}. */
    public IssuanceStatus at(Instant now, Instant expiresAt) {
        return this == AVAILABLE && !now.isBefore(expiresAt) ? EXPIRED : this;
    }

    /** {@link #at} of a stored status read as text. */
    public static IssuanceStatus derive(String stored, Instant expiresAt, Instant now) {
        return valueOf(stored).at(now, expiresAt);
    }
}
