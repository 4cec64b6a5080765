package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * The writes of a redemption and its cancellation, each a conditional update on the status the
 * row holds now, so two devices (or two wallet instances) racing for one coupon are decided by
 * PostgreSQL's row lock: the loser's update finds the status changed and touches nothing. The
 * partial unique key coupon_redemption_standing_uk (V3__wallet.sql) backs that up.
 */
@Repository
class Redemptions {

    private final JdbcClient jdbc;

    Redemptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A redemption of one user with the coupon it redeemed. */
    record Owned(long redemptionId, long issuanceId) {
    }

    /** Marks the user's coupon REDEEMED if it is AVAILABLE and not expired at {@code now}; false otherwise. */
    boolean markRedeemed(long issuanceId, long userId, Instant now) {
        return jdbc.sql("""
                UPDATE coupon_issuance SET status = 'REDEEMED', redeemed_at = :now
                WHERE id = :id AND user_id = :user AND %s""".formatted(IssuanceStatus.AVAILABLE_SQL))
                .param("now", at(now)).param("id", issuanceId).param("user", userId)
                .update() == 1;
    }

    long insert(long issuanceId, long userId, String orderId, BigDecimal orderAmount, Discount discount,
            Instant now) {
        return jdbc.sql("""
                INSERT INTO coupon_redemption (issuance_id, coupon_id, user_id, order_id, order_amount, discount,
                                               payable, redeemed_at)
                SELECT id, coupon_id, user_id, :orderId, :orderAmount, :discount, :payable, :now
                FROM coupon_issuance WHERE id = :id AND user_id = :user
                RETURNING id""")
                .param("orderId", orderId).param("orderAmount", orderAmount)
                .param("discount", discount.discount()).param("payable", discount.payable())
                .param("now", at(now)).param("id", issuanceId).param("user", userId)
                .query(Long.class).single();
    }

    /** The coupon's status as committed now (read after a conditional update found nothing to change). */
    Optional<IssuanceStatus> issuanceStatus(long issuanceId, Instant now) {
        return jdbc.sql("SELECT status, expires_at FROM coupon_issuance WHERE id = :id")
                .param("id", issuanceId)
                .query((rs, n) -> IssuanceStatus.valueOf(rs.getString("status"))
                        .at(now, rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    Optional<Owned> findOwned(long redemptionId, long userId) {
        return jdbc.sql("SELECT id, issuance_id FROM coupon_redemption WHERE id = :id AND user_id = :user")
                .param("id", redemptionId).param("user", userId)
                .query((rs, n) -> new Owned(rs.getLong("id"), rs.getLong("issuance_id")))
                .optional();
    }

    /** The user's redemption; empty when it is unknown or another user's. */
    Optional<RedemptionView> find(long redemptionId, long userId) {
        return jdbc.sql("""
                SELECT id, issuance_id, coupon_id, order_id, order_amount, discount, payable, status, redeemed_at,
                       cancelled_at
                FROM coupon_redemption WHERE id = :id AND user_id = :user""")
                .param("id", redemptionId).param("user", userId)
                .query((rs, n) -> new RedemptionView(rs.getLong("id"), rs.getLong("issuance_id"),
                        rs.getLong("coupon_id"), rs.getString("order_id"), rs.getBigDecimal("order_amount"),
                        rs.getBigDecimal("discount"), rs.getBigDecimal("payable"),
                        RedemptionStatus.valueOf(rs.getString("status")),
                        rs.getObject("redeemed_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("cancelled_at", OffsetDateTime.class) == null ? null
                                : rs.getObject("cancelled_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Cancels the redemption if it still stands; false when it was cancelled already. */
    boolean cancel(long redemptionId, Instant now) {
        return jdbc.sql("""
                UPDATE coupon_redemption SET status = 'CANCELLED', cancelled_at = :now
                WHERE id = :id AND status = 'REDEEMED'""")
                .param("now", at(now)).param("id", redemptionId)
                .update() == 1;
    }

    /** The coupon of a redemption just cancelled becomes AVAILABLE again (reads derive EXPIRED past expiresAt). */
    boolean restore(long issuanceId) {
        return jdbc.sql("""
                UPDATE coupon_issuance SET status = 'AVAILABLE', redeemed_at = NULL
                WHERE id = :id AND status = 'REDEEMED'""")
                .param("id", issuanceId)
                .update() == 1;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
