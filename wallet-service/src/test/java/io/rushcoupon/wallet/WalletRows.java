package io.rushcoupon.wallet;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows the redemption and the expiry job would write, written with plain SQL so the reading side is
 * tested on its own: a standing or cancelled redemption of an issued coupon, a coupon marked EXPIRED.
 */
public final class WalletRows {

    private final JdbcClient jdbc;

    public WalletRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A redemption that stands: the coupon REDEEMED, its row in coupon_redemption. Answers the redemption id. */
    public long redeem(long issuanceId, String orderAmount, String discount, Instant at) {
        jdbc.sql("UPDATE coupon_issuance SET status = 'REDEEMED', redeemed_at = ? WHERE id = ?")
                .params(Timestamp.from(at), issuanceId).update();
        BigDecimal amount = new BigDecimal(orderAmount);
        BigDecimal off = new BigDecimal(discount);
        return jdbc.sql("""
                INSERT INTO coupon_redemption (issuance_id, coupon_id, user_id, order_id, order_amount, discount,
                                               payable, redeemed_at)
                SELECT id, coupon_id, user_id, 'order-' || id || '-' || gen_random_uuid(), ?, ?, ?, ?
                FROM coupon_issuance WHERE id = ?
                RETURNING id""")
                .params(amount, off, amount.subtract(off), Timestamp.from(at), issuanceId)
                .query(Long.class).single();
    }

    /** The redemption cancelled: the coupon AVAILABLE again, the redemption row kept as CANCELLED. */
    public void cancel(long redemptionId, Instant at) {
        jdbc.sql("""
                UPDATE coupon_issuance SET status = 'AVAILABLE', redeemed_at = NULL
                WHERE id = (SELECT issuance_id FROM coupon_redemption WHERE id = ?)""")
                .param(redemptionId).update();
        jdbc.sql("UPDATE coupon_redemption SET status = 'CANCELLED', cancelled_at = ? WHERE id = ?")
                .params(Timestamp.from(at), redemptionId).update();
    }

    /** As the expiry job marks a coupon. */
    public void markExpired(long issuanceId, Instant at) {
        jdbc.sql("UPDATE coupon_issuance SET status = 'EXPIRED', expired_at = ? WHERE id = ?")
                .params(Timestamp.from(at), issuanceId).update();
    }

    public String storedStatus(long issuanceId) {
        return jdbc.sql("SELECT status FROM coupon_issuance WHERE id = ?").param(issuanceId).query(String.class)
                .single();
    }
}
