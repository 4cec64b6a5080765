package io.rushcoupon.admin.usage;

import static io.rushcoupon.admin.config.SqlInstants.instant;
import static io.rushcoupon.admin.config.SqlInstants.timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.IssuanceStatus;
import io.rushcoupon.common.coupon.UserCouponTotals;
import io.rushcoupon.admin.redemption.Redemptions;

/**
 * One user's rows of coupon_issuance and coupon_redemption, read with plain SQL through the user
 * indexes: (user_id, issued_at DESC, id DESC) and (user_id, status).
 */
@Repository
class UserCouponUsage {

    /**
     * The per-coupon list is bounded: one row per coupon the user holds, which is small for any real
     * user, but an answer must not grow without limit.
     */
    static final int MAX_COUPONS = 1000;

    private final JdbcClient jdbc;

    UserCouponUsage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's totals: the wallet's figures, by the one statement both read them with. */
    UserCouponTotals totals(long userId, Instant now) {
        return jdbc.sql(UserCouponTotals.SQL)
                .param("userId", userId)
                .param("now", timestamp(now))
                .query((rs, row) -> new UserCouponTotals(rs.getLong("issued"), rs.getLong("available"),
                        rs.getLong("redeemed"), rs.getLong("expired"), rs.getLong("cancelled"),
                        rs.getBigDecimal("total_discount")))
                .single();
    }

    /** The user's coupons, newest issue first, at most {@link #MAX_COUPONS}. */
    List<UserCoupon> coupons(long userId, Instant now) {
        return jdbc.sql("""
                        SELECT i.id, i.coupon_id, c.code, c.name, i.status, i.issued_at, i.expires_at, i.redeemed_at,
                               coalesce(r.redemptions, 0) AS redemptions, coalesce(r.cancelled, 0) AS cancelled,
                               coalesce(r.total_discount, 0) AS total_discount
                        FROM coupon_issuance i
                        JOIN coupon c ON c.id = i.coupon_id
                        LEFT JOIN (SELECT issuance_id, count(*) AS redemptions,
                                          count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                                          sum(discount) FILTER (WHERE status = 'REDEEMED') AS total_discount
                                   FROM coupon_redemption WHERE user_id = :userId
                                   GROUP BY issuance_id) r ON r.issuance_id = i.id
                        WHERE i.user_id = :userId
                        ORDER BY i.issued_at DESC, i.id DESC
                        LIMIT :limit""")
                .param("userId", userId)
                .param("limit", MAX_COUPONS)
                .query((rs, row) -> {
                    Instant expiresAt = Objects.requireNonNull(instant(rs, "expires_at"));
                    return new UserCoupon(rs.getLong("coupon_id"), rs.getLong("id"), rs.getString("code"),
                            rs.getString("name"), IssuanceStatus.derive(rs.getString("status"), expiresAt, now),
                            Objects.requireNonNull(instant(rs, "issued_at")), expiresAt, instant(rs, "redeemed_at"),
                            rs.getLong("redemptions"), rs.getLong("cancelled"),
                            Redemptions.money(rs.getBigDecimal("total_discount")));
                })
                .list();
    }
}
