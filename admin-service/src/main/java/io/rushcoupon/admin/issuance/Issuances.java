package io.rushcoupon.admin.issuance;

import static io.rushcoupon.admin.config.SqlInstants.instant;
import static io.rushcoupon.admin.config.SqlInstants.timestamp;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * Reads coupon_issuance with plain SQL: the worker inserts the rows and the wallet changes their
 * status, the admin only reads, so a JPA entity would add nothing. Queries follow the index
 * (coupon_id, id).
 */
@Repository
public class Issuances {

    private final JdbcClient jdbc;

    Issuances(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of a coupon's rows in issue order (the identity grows with each insert). */
    List<Issuance> page(long couponId, int page, int size) {
        return jdbc.sql("""
                        SELECT id, user_id, request_id, issued_at, expires_at, redeemed_at
                        FROM coupon_issuance WHERE coupon_id = :couponId
                        ORDER BY id LIMIT :limit OFFSET :offset""")
                .param("couponId", couponId)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query((rs, row) -> new Issuance(rs.getLong("id"), rs.getLong("user_id"), rs.getString("request_id"),
                        instant(rs, "issued_at"), instant(rs, "expires_at"), instant(rs, "redeemed_at")))
                .list();
    }

    long count(long couponId) {
        return jdbc.sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id = :couponId")
                .param("couponId", couponId)
                .query(Long.class)
                .single();
    }

    /** The coupon's rows counted, their statuses as they read at {@code now}. */
    public IssuanceSummary summary(long couponId, Instant now) {
        return jdbc.sql("""
                        SELECT count(*) AS issued,
                               count(*) FILTER (WHERE status = 'REDEEMED') AS redeemed,
                               count(*) FILTER (WHERE %s) AS expired,
                               min(issued_at) AS first_issued_at, max(issued_at) AS last_issued_at
                        FROM coupon_issuance WHERE coupon_id = :couponId""".formatted(IssuanceStatus.EXPIRED_SQL))
                .param("couponId", couponId)
                .param("now", timestamp(now))
                .query((rs, row) -> new IssuanceSummary(rs.getLong("issued"), rs.getLong("redeemed"),
                        rs.getLong("expired"), instant(rs, "first_issued_at"), instant(rs, "last_issued_at")))
                .single();
    }
}
