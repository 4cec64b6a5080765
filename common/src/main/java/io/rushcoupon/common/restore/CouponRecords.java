package io.rushcoupon.common.restore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.redis.CouponSnapshot;

/**
 * Reads coupons and their issuances from PostgreSQL (schema: {@code db/migration} in this module)
 * with plain JDBC, for {@link CouponStateRestorer} and the worker's reconciler. A failed read is an
 * {@link IllegalStateException} around the {@link SQLException}.
 */
public final class CouponRecords {

    private static final String SNAPSHOT_COLUMNS =
            "id, name, state, issue_starts_at, issue_ends_at, total_quantity, remaining_quantity";

    private final DataSource dataSource;

    public CouponRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Coupons users may still ask for or wait on: scheduled, open, or ended after {@code endedAfter}. */
    public List<CouponSnapshot> liveCoupons(Instant endedAfter) {
        return query("SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE issue_ends_at > ? ORDER BY id",
                statement -> statement.setObject(1, OffsetDateTime.ofInstant(endedAfter, ZoneOffset.UTC)),
                CouponRecords::snapshot);
    }

    public Optional<CouponSnapshot> coupon(long couponId) {
        return query("SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE id = ?",
                statement -> statement.setLong(1, couponId), CouponRecords::snapshot).stream().findFirst();
    }

    /**
     * One keyset page of a coupon's issuances, in id order after {@code afterId}: the index
     * (coupon_id, id) serves it, and no page holds more than {@code limit} rows however many the
     * coupon has.
     */
    List<IssuedRow> issuedAfter(long couponId, long afterId, int limit) {
        return query("""
                        SELECT id, user_id, request_id, issued_at FROM coupon_issuance
                        WHERE coupon_id = ? AND id > ? ORDER BY id LIMIT ?""",
                statement -> {
                    statement.setLong(1, couponId);
                    statement.setLong(2, afterId);
                    statement.setInt(3, limit);
                },
                rs -> new IssuedRow(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()));
    }

    private <T> List<T> query(String sql, Parameters parameters, Row<T> row) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL read failed: " + e.getMessage(), e);
        }
    }

    private static CouponSnapshot snapshot(ResultSet rs) throws SQLException {
        return new CouponSnapshot(rs.getLong("id"), rs.getString("name"), CouponState.valueOf(rs.getString("state")),
                rs.getObject("issue_starts_at", OffsetDateTime.class).toInstant(),
                rs.getObject("issue_ends_at", OffsetDateTime.class).toInstant(),
                rs.getInt("total_quantity"), rs.getInt("remaining_quantity"));
    }

    /** One coupon_issuance row, as much of it as Redis needs. */
    record IssuedRow(long id, long userId, String requestId, Instant issuedAt) {
    }

    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
