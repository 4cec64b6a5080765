package io.rushcoupon.common.restore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.RecordedDecision;

/**
 * Reads coupons and the worker's decisions (coupon_issuance, issue_rejection) from PostgreSQL
 * (schema: {@code db/migration} in this module) with plain JDBC, for {@link CouponStateRestorer} and
 * the worker's reconciler. A failed read is an {@link IllegalStateException} around the
 * {@link SQLException}.
 */
public final class CouponRecords {

    private static final String SNAPSHOT_COLUMNS =
            "id, name, state, issue_starts_at, issue_ends_at, total_quantity, remaining_quantity";

    private final DataSource dataSource;

    public CouponRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Coupons users may still ask for: scheduled, open, or ended after {@code endedAfter}. */
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
     * One keyset page of the ids of every coupon, however old, newest first: the ids below
     * {@code beforeId} ({@link Long#MAX_VALUE} for the first page).
     */
    public List<Long> couponIdsBefore(long beforeId, int limit) {
        return query("SELECT id FROM coupon WHERE id < ? ORDER BY id DESC LIMIT ?",
                statement -> {
                    statement.setLong(1, beforeId);
                    statement.setInt(2, limit);
                },
                rs -> rs.getLong(1));
    }

    /**
     * The decisions PostgreSQL records for the given requests, by request id: an issuance row is
     * ISSUED, a rejection row REJECTED with its reason; an undecided request is absent.
     */
    public Map<RequestId, RecordedDecision> decisions(Collection<RequestId> requestIds) {
        Map<RequestId, RecordedDecision> found = new HashMap<>();
        if (requestIds.isEmpty()) {
            return found;
        }
        String[] ids = requestIds.stream().map(RequestId::toString).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection()) {
            Array array = connection.createArrayOf("varchar", ids);
            for (var row : read(connection, """
                            SELECT request_id, user_id, NULL, issued_at FROM coupon_issuance
                            WHERE request_id = ANY(?)
                            UNION ALL
                            SELECT request_id, user_id, reason, rejected_at FROM issue_rejection
                            WHERE request_id = ANY(?)""",
                    statement -> {
                        statement.setArray(1, array);
                        statement.setArray(2, array);
                    }, CouponRecords::decision)) {
                if (row != null) {
                    found.put(row.status().requestId(), row);
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return found;
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

    /**
     * One keyset page of a coupon's rejections, in request id order after {@code afterRequestId}
     * ({@code ""} for the first page), served by the index (coupon_id, request_id).
     */
    List<RejectedRow> rejectedAfter(long couponId, String afterRequestId, int limit) {
        return query("""
                        SELECT request_id, user_id, reason, rejected_at FROM issue_rejection
                        WHERE coupon_id = ? AND request_id > ? ORDER BY request_id LIMIT ?""",
                statement -> {
                    statement.setLong(1, couponId);
                    statement.setString(2, afterRequestId);
                    statement.setInt(3, limit);
                },
                rs -> new RejectedRow(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()));
    }

    /**
     * The coupon row, and how many of the requests {@code pending} lists are decided (an issuance
     * or a rejection row), both from ONE snapshot: a read-only REPEATABLE READ transaction, whose
     * snapshot PostgreSQL takes at its first statement. The requests are read page by page.
     *
     * @param pendingSize how many requests {@code pending} lists
     * @return empty when PostgreSQL has no such coupon
     */
    Optional<StockSnapshot> stockSnapshot(long couponId, long pendingSize, PendingPages pending, int pageSize) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            boolean readOnly = connection.isReadOnly();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Optional<StockSnapshot> snapshot = stockSnapshot(connection, couponId, pendingSize, pending, pageSize);
                connection.commit();
                return snapshot;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
                connection.setTransactionIsolation(isolation);
                connection.setReadOnly(readOnly);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static Optional<StockSnapshot> stockSnapshot(Connection connection, long couponId, long pendingSize,
            PendingPages pending, int pageSize) throws SQLException {
        Optional<CouponSnapshot> coupon = read(connection, "SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE id = ?",
                statement -> statement.setLong(1, couponId), CouponRecords::snapshot).stream().findFirst();
        if (coupon.isEmpty()) {
            return Optional.empty();
        }
        long decided = 0;
        for (long offset = 0; offset < pendingSize; offset += pageSize) {
            List<String> page = pending.page(offset, pageSize);
            if (page.isEmpty()) {
                break;
            }
            Array ids = connection.createArrayOf("varchar", page.toArray());
            // UNION, not UNION ALL: a request counts once even if both tables had it
            decided += read(connection, """
                            SELECT count(*) FROM (
                                SELECT request_id FROM coupon_issuance WHERE request_id = ANY(?)
                                UNION
                                SELECT request_id FROM issue_rejection WHERE request_id = ANY(?)) decided""",
                    statement -> {
                        statement.setArray(1, ids);
                        statement.setArray(2, ids);
                    }, rs -> rs.getLong(1)).getFirst();
        }
        return Optional.of(new StockSnapshot(coupon.get(), decided));
    }

    private <T> List<T> query(String sql, Parameters parameters, Row<T> row) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, sql, parameters, row);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static <T> List<T> read(Connection connection, String sql, Parameters parameters, Row<T> row)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.map(rs));
                }
                return rows;
            }
        }
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("PostgreSQL read failed: " + e.getMessage(), e);
    }

    private static CouponSnapshot snapshot(ResultSet rs) throws SQLException {
        return new CouponSnapshot(rs.getLong("id"), rs.getString("name"), CouponState.valueOf(rs.getString("state")),
                rs.getObject("issue_starts_at", OffsetDateTime.class).toInstant(),
                rs.getObject("issue_ends_at", OffsetDateTime.class).toInstant(),
                rs.getInt("total_quantity"), rs.getInt("remaining_quantity"));
    }

    /** A decision row (request id, user, reason or NULL, decided at); null when Redis could not show it. */
    private static @Nullable RecordedDecision decision(ResultSet rs) throws SQLException {
        RequestId requestId = RequestId.tryParse(rs.getString(1));
        if (requestId == null) {
            return null;
        }
        Instant decidedAt = rs.getObject(4, OffsetDateTime.class).toInstant();
        String reason = rs.getString(3);
        return reason == null
                ? new RecordedDecision(FinalStatus.issued(requestId, rs.getLong(2), decidedAt), decidedAt)
                : rejected(requestId, rs.getLong(2), reason, decidedAt);
    }

    /** A rejection as Redis shows it; null for a reason this version does not know. */
    static @Nullable RecordedDecision rejected(RequestId requestId, long userId, String reason, Instant rejectedAt) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(reason)) {
                return new RecordedDecision(FinalStatus.rejected(requestId, userId, code), rejectedAt);
            }
        }
        return null;
    }

    /** One coupon_issuance row, as much of it as Redis needs. */
    record IssuedRow(long id, long userId, String requestId, Instant issuedAt) {
    }

    /** One issue_rejection row. */
    record RejectedRow(String requestId, long userId, String reason, Instant rejectedAt) {
    }

    /** The coupon row and how many of the pending requests are decided, from one snapshot. */
    record StockSnapshot(CouponSnapshot coupon, long decided) {
    }

    /** Pages of request ids by offset; an empty page ends them early. */
    @FunctionalInterface
    interface PendingPages {
        List<String> page(long offset, int limit);
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
