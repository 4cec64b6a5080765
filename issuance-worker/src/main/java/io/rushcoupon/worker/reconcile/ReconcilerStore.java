package io.rushcoupon.worker.reconcile;

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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.CouponSnapshot;

/** What the reconciler reads from PostgreSQL, the source of truth it repairs Redis from. */
@Repository
class ReconcilerStore {

    private static final String SNAPSHOT_COLUMNS =
            "id, name, state, issue_starts_at, issue_ends_at, total_quantity, remaining_quantity";

    private final JdbcClient jdbc;

    ReconcilerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Coupons users may still ask for or wait on: scheduled, open, or ended after {@code endedAfter}. */
    List<CouponSnapshot> liveCoupons(Instant endedAfter) {
        return jdbc.sql("SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE issue_ends_at > :endedAfter ORDER BY id")
                .param("endedAfter", OffsetDateTime.ofInstant(endedAfter, ZoneOffset.UTC))
                .query((rs, row) -> snapshot(rs))
                .list();
    }

    Optional<CouponSnapshot> coupon(long couponId) {
        return jdbc.sql("SELECT " + SNAPSHOT_COLUMNS + " FROM coupon WHERE id = :id")
                .param("id", couponId)
                .query((rs, row) -> snapshot(rs))
                .optional();
    }

    /** userId → requestId of every issuance of the coupon. */
    Map<Long, String> issuedUsers(long couponId) {
        Map<Long, String> users = new HashMap<>();
        jdbc.sql("SELECT user_id, request_id FROM coupon_issuance WHERE coupon_id = :id")
                .param("id", couponId)
                .query(rs -> {
                    users.put(rs.getLong(1), rs.getString(2));
                });
        return users;
    }

    /**
     * Every issuance row of the coupon as the ISSUED status its user polls. Rows whose request id
     * is not one the gateway issued (none are written so) have no status to poll and are left out.
     */
    List<FinalStatus> issuedRequests(long couponId) {
        List<FinalStatus> issued = new ArrayList<>();
        jdbc.sql("SELECT user_id, request_id, issued_at FROM coupon_issuance WHERE coupon_id = :id")
                .param("id", couponId)
                .query(rs -> {
                    RequestId requestId = RequestId.tryParse(rs.getString(2));
                    if (requestId != null && requestId.couponId() == couponId) {
                        issued.add(FinalStatus.issued(requestId, rs.getLong(1), rs.getTimestamp(3).toInstant()));
                    }
                });
        return issued;
    }

    /** The committed issuances among the given request ids, by request id. */
    Map<String, CommittedIssuance> issuances(Collection<String> requestIds) {
        Map<String, CommittedIssuance> found = new HashMap<>();
        if (requestIds.isEmpty()) {
            return found;
        }
        jdbc.sql("SELECT request_id, user_id, issued_at FROM coupon_issuance WHERE request_id = ANY(CAST(:ids AS varchar[]))")
                .param("ids", new SqlArrayValue("varchar", requestIds.toArray()))
                .query(rs -> {
                    found.put(rs.getString(1), new CommittedIssuance(rs.getLong(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant()));
                });
        return found;
    }

    private static CouponSnapshot snapshot(ResultSet rs) throws SQLException {
        return new CouponSnapshot(rs.getLong("id"), rs.getString("name"), CouponState.valueOf(rs.getString("state")),
                rs.getObject("issue_starts_at", OffsetDateTime.class).toInstant(),
                rs.getObject("issue_ends_at", OffsetDateTime.class).toInstant(),
                rs.getInt("total_quantity"), rs.getInt("remaining_quantity"));
    }

    record CommittedIssuance(long userId, Instant issuedAt) {
    }
}
