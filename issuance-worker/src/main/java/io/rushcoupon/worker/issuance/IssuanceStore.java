package io.rushcoupon.worker.issuance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.FinalStatus;

/**
 * The SQL of issuing: a handful of set-based statements per coupon and batch, never one round
 * trip per request. Runs inside the caller's transaction.
 */
@Repository
class IssuanceStore {

    /**
     * Inserts, in acceptance order, at most {@code :stock} of the candidates that have no row yet
     * (neither their request nor their user for this coupon), one per user. ON CONFLICT keeps a
     * concurrent insert of the same key harmless; {@code picked} (always one row, even when nothing
     * was inserted) tells the caller whether some candidate lost such a race and the statement
     * should run again.
     */
    private static final String INSERT_ISSUANCES = """
            WITH input AS (
                SELECT t.request_id, t.user_id, t.ord
                FROM unnest(CAST(:requestIds AS varchar[]), CAST(:userIds AS bigint[])) WITH ORDINALITY AS t(request_id, user_id, ord)
            ), fresh AS (
                SELECT DISTINCT ON (i.user_id) i.request_id, i.user_id, i.ord
                FROM input i
                WHERE NOT EXISTS (SELECT 1 FROM coupon_issuance ci WHERE ci.request_id = i.request_id)
                  AND NOT EXISTS (SELECT 1 FROM coupon_issuance ci
                                  WHERE ci.coupon_id = :couponId AND ci.user_id = i.user_id)
                ORDER BY i.user_id, i.ord
            ), picked AS (
                SELECT f.request_id, f.user_id, f.ord FROM fresh f ORDER BY f.ord LIMIT :stock
            ), inserted AS (
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                SELECT c.id, p.user_id, p.request_id, now(),
                       CASE WHEN c.valid_days IS NOT NULL THEN now() + make_interval(days => c.valid_days)
                            ELSE c.valid_until END
                FROM picked p JOIN coupon c ON c.id = :couponId
                ORDER BY p.ord
                ON CONFLICT DO NOTHING
                RETURNING request_id, issued_at
            )
            SELECT i.request_id, i.issued_at, p.picked
            FROM (SELECT count(*) AS picked FROM picked) p LEFT JOIN inserted i ON true
            """;

    private final JdbcClient jdbc;

    IssuanceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stock, total, state and version of a coupon, empty when the coupon does not exist. */
    Optional<CouponStock> stock(long couponId) {
        return jdbc.sql("SELECT remaining_quantity, total_quantity, state, version FROM coupon WHERE id = :id")
                .param("id", couponId)
                .query((rs, row) -> new CouponStock(rs.getInt(1), rs.getInt(2), CouponState.valueOf(rs.getString(3)),
                        rs.getLong(4)))
                .optional();
    }

    /**
     * The decisions recorded for any of these requests: ISSUED for a request with its issuance
     * row, REJECTED with its reason for one with its issue_rejection row.
     */
    Map<String, FinalStatus> decided(Collection<String> requestIds) {
        Map<String, FinalStatus> decided = new HashMap<>();
        if (requestIds.isEmpty()) {
            return decided;
        }
        jdbc.sql("""
                SELECT request_id, user_id, issued_at, NULL AS reason FROM coupon_issuance
                WHERE request_id = ANY(CAST(:requestIds AS varchar[]))
                UNION ALL
                SELECT request_id, user_id, NULL, reason FROM issue_rejection
                WHERE request_id = ANY(CAST(:requestIds AS varchar[]))
                """)
                .param("requestIds", new SqlArrayValue("varchar", requestIds.toArray()))
                .query(rs -> {
                    RequestId requestId = RequestId.tryParse(rs.getString(1));
                    if (requestId == null) {
                        return;
                    }
                    String reason = rs.getString(4);
                    decided.put(rs.getString(1), reason == null
                            ? FinalStatus.issued(requestId, rs.getLong(2),
                                    rs.getObject(3, OffsetDateTime.class).toInstant())
                            : FinalStatus.rejected(requestId, rs.getLong(2), ErrorCode.valueOf(reason)));
                });
        return decided;
    }

    /**
     * Records rejections of one coupon's requests. A request id that already has a rejection is
     * left alone (ON CONFLICT); the caller's version check makes that a conflict to retry.
     *
     * @return how many were recorded
     */
    int reject(long couponId, Collection<FinalStatus> rejections) {
        if (rejections.isEmpty()) {
            return 0;
        }
        String[] requestIds = new String[rejections.size()];
        Long[] userIds = new Long[rejections.size()];
        String[] reasons = new String[rejections.size()];
        int i = 0;
        for (FinalStatus rejection : rejections) {
            if (rejection.reason() == null || rejection.requestId().couponId() != couponId) {
                throw new IllegalArgumentException("not a rejection of coupon " + couponId + ": " + rejection);
            }
            requestIds[i] = rejection.requestId().toString();
            userIds[i] = rejection.userId();
            reasons[i] = rejection.reason().name();
            i++;
        }
        return jdbc.sql("""
                INSERT INTO issue_rejection (request_id, coupon_id, user_id, reason)
                SELECT t.request_id, :couponId, t.user_id, t.reason
                FROM unnest(CAST(:requestIds AS varchar[]), CAST(:userIds AS bigint[]), CAST(:reasons AS varchar[]))
                     AS t(request_id, user_id, reason)
                ON CONFLICT DO NOTHING
                """)
                .param("couponId", couponId)
                .param("requestIds", new SqlArrayValue("varchar", (Object[]) requestIds))
                .param("userIds", new SqlArrayValue("bigint", (Object[]) userIds))
                .param("reasons", new SqlArrayValue("varchar", (Object[]) reasons))
                .update();
    }

    /**
     * Creates the users seen for the first time; known users are left as they are. Ids sorted, so
     * two workers inserting overlapping users take their row locks in the same order.
     */
    void addUsers(Collection<IssueRequested> requests) {
        Map<Long, IssueRequested> byUser = new TreeMap<>();
        for (IssueRequested request : requests) {
            byUser.putIfAbsent(request.userId(), request);
        }
        int n = byUser.size();
        Long[] ids = new Long[n];
        String[] emails = new String[n];
        String[] usernames = new String[n];
        int i = 0;
        for (var entry : byUser.entrySet()) {
            ids[i] = entry.getKey();
            emails[i] = entry.getValue().email();
            usernames[i] = entry.getValue().username();
            i++;
        }
        jdbc.sql("""
                INSERT INTO app_user (id, email, username)
                SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:emails AS varchar[]), CAST(:usernames AS varchar[]))
                ON CONFLICT (id) DO NOTHING
                """)
                .param("ids", new SqlArrayValue("bigint", (Object[]) ids))
                .param("emails", new SqlArrayValue("varchar", (Object[]) emails))
                .param("usernames", new SqlArrayValue("varchar", (Object[]) usernames))
                .update();
    }

    /**
     * One pass of inserting issuance rows for the candidates, in their order, at most {@code stock}.
     */
    InsertPass insert(long couponId, List<IssueRequested> candidates, int stock) {
        String[] requestIds = new String[candidates.size()];
        Long[] userIds = new Long[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            requestIds[i] = candidates.get(i).requestId();
            userIds[i] = candidates.get(i).userId();
        }
        List<Object[]> rows = jdbc.sql(INSERT_ISSUANCES)
                .param("requestIds", new SqlArrayValue("varchar", (Object[]) requestIds))
                .param("userIds", new SqlArrayValue("bigint", (Object[]) userIds))
                .param("couponId", couponId)
                .param("stock", stock)
                .query((rs, row) -> new Object[] {rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class)),
                        rs.getLong(3)})
                .list();
        List<Issued> inserted = new ArrayList<>(rows.size());
        long picked = 0;
        for (Object[] row : rows) {
            picked = (Long) row[2];
            if (row[0] != null) {
                inserted.add(new Issued((String) row[0], (Instant) row[1]));
            }
        }
        return new InsertPass(inserted, (int) picked);
    }

    /**
     * Rows that explain why requests were not inserted: rows with the same request id (a replay)
     * or of the same user for this coupon (a duplicate).
     */
    List<ExistingIssuance> existing(long couponId, Collection<IssueRequested> requests) {
        String[] requestIds = requests.stream().map(IssueRequested::requestId).toArray(String[]::new);
        Long[] userIds = requests.stream().map(IssueRequested::userId).toArray(Long[]::new);
        return jdbc.sql("""
                SELECT request_id, user_id, issued_at FROM coupon_issuance
                WHERE request_id = ANY(CAST(:requestIds AS varchar[]))
                   OR (coupon_id = :couponId AND user_id = ANY(CAST(:userIds AS bigint[])))
                """)
                .param("requestIds", new SqlArrayValue("varchar", (Object[]) requestIds))
                .param("userIds", new SqlArrayValue("bigint", (Object[]) userIds))
                .param("couponId", couponId)
                .query((rs, row) -> new ExistingIssuance(rs.getString(1), rs.getLong(2),
                        instant(rs.getObject(3, OffsetDateTime.class))))
                .list();
    }

    /**
     * Takes {@code issued} units off the coupon if nobody changed it since {@code version} was read.
     * With 0 units it still bumps the version: every transaction that records a decision goes
     * through this check, so two deciders of one request (a rebalance overlap) cannot both commit.
     *
     * @return {@code false} on an optimistic version conflict
     */
    boolean takeStock(long couponId, long version, int issued) {
        return jdbc.sql("""
                UPDATE coupon
                SET remaining_quantity = remaining_quantity - :issued, version = version + 1, updated_at = now()
                WHERE id = :id AND version = :version
                """)
                .param("issued", issued)
                .param("id", couponId)
                .param("version", version)
                .update() == 1;
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    record CouponStock(int remaining, int total, CouponState state, long version) {
    }

    record Issued(String requestId, Instant issuedAt) {
    }

    /** @param picked how many candidates the pass tried to insert; more than inserted means a race was lost */
    record InsertPass(List<Issued> inserted, int picked) {
    }

    record ExistingIssuance(String requestId, long userId, Instant issuedAt) {
    }
}
