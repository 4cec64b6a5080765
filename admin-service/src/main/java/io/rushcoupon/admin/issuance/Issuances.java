package io.rushcoupon.admin.issuance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads coupon_issuance with plain SQL: the worker is its only writer, the admin only reads, so a
 * JPA entity would add nothing. Queries follow the index (coupon_id, id).
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

    public IssuanceSummary summary(long couponId) {
        return jdbc.sql("""
                        SELECT count(*) AS issued, min(issued_at) AS first_issued_at, max(issued_at) AS last_issued_at
                        FROM coupon_issuance WHERE coupon_id = :couponId""")
                .param("couponId", couponId)
                .query((rs, row) -> new IssuanceSummary(rs.getLong("issued"), instant(rs, "first_issued_at"),
                        instant(rs, "last_issued_at")))
                .single();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
