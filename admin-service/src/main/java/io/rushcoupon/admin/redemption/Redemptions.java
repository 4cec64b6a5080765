package io.rushcoupon.admin.redemption;

import static io.rushcoupon.admin.config.SqlInstants.instant;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads coupon_redemption with plain SQL: the wallet is its only writer. Queries of one coupon
 * follow the index (coupon_id, id).
 */
@Repository
public class Redemptions {

    private final JdbcClient jdbc;

    Redemptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of a coupon's redemptions in the order they were made (the identity grows with each). */
    List<Redemption> page(long couponId, int page, int size) {
        return jdbc.sql("""
                        SELECT id, issuance_id, user_id, order_id, order_amount, discount, payable, status,
                               redeemed_at, cancelled_at
                        FROM coupon_redemption WHERE coupon_id = :couponId
                        ORDER BY id LIMIT :limit OFFSET :offset""")
                .param("couponId", couponId)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query((rs, row) -> new Redemption(rs.getLong("id"), rs.getLong("issuance_id"), rs.getLong("user_id"),
                        rs.getString("order_id"), rs.getBigDecimal("order_amount"), rs.getBigDecimal("discount"),
                        rs.getBigDecimal("payable"), RedemptionStatus.valueOf(rs.getString("status")),
                        Objects.requireNonNull(instant(rs, "redeemed_at")), instant(rs, "cancelled_at")))
                .list();
    }

    long count(long couponId) {
        return jdbc.sql("SELECT count(*) FROM coupon_redemption WHERE coupon_id = :couponId")
                .param("couponId", couponId)
                .query(Long.class)
                .single();
    }

    /** The discount the coupon's standing redemptions give (cancelled ones give none); 0.00 without any. */
    public BigDecimal totalDiscount(long couponId) {
        return money(jdbc.sql("""
                        SELECT coalesce(sum(discount), 0) FROM coupon_redemption
                        WHERE coupon_id = :couponId AND status = 'REDEEMED'""")
                .param("couponId", couponId)
                .query(BigDecimal.class)
                .single());
    }

    /** An amount as the money columns hold it, two fraction digits: 0 reads 0.00. */
    public static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
