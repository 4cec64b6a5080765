package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The stale-pending job's PostgreSQL read; coupons and the rows a rebuild needs come from
 * common's {@link io.rushcoupon.common.restore.CouponRecords}.
 */
@Repository
class ReconcilerStore {

    private final JdbcClient jdbc;

    ReconcilerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    record CommittedIssuance(long userId, Instant issuedAt) {
    }
}
