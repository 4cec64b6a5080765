package io.rushcoupon.common.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.PendingCopy;
import io.rushcoupon.common.redis.RebuildOutcome;
import io.rushcoupon.common.redis.RecordedDecision;
import io.rushcoupon.common.restore.CouponRecords.IssuedRow;
import io.rushcoupon.common.restore.CouponRecords.RejectedRow;
import io.rushcoupon.common.restore.CouponRecords.StockSnapshot;

/**
 * Restores one coupon's Redis state from PostgreSQL, the record, whoever asks (the worker's
 * reconciler, the admin's reconcile and publication) and however old the coupon: the users already
 * issued, the ISSUED and REJECTED statuses their requests poll, then — only if Redis lacks it — the
 * coupon hash, in that order, so the gateway sees the coupon only once its users are back. Every
 * read is a keyset page, so a coupon of millions of units never sits in the heap. In {@code common}
 * with plain JDBC because both services need this one copy and {@code common} must stay free of
 * Spring. Why the rebuilt stock is exact: coupon-rebuild.lua.
 */
public final class CouponStateRestorer {

    /** Rows (and pending requests) read and written to Redis per round trip. */
    public static final int DEFAULT_PAGE_SIZE = 1_000;

    /** How long a pending copy outlives a restorer that died before deleting it. */
    private static final Duration COPY_LIFETIME = Duration.ofMinutes(10);

    /** Rebuild attempts when the coupon hash keeps appearing and vanishing under the restorer. */
    private static final int ATTEMPTS = 3;

    private final CouponRecords records;
    private final CouponRedis couponRedis;
    private final Duration requestTtl;
    private final int pageSize;

    public CouponStateRestorer(DataSource dataSource, CouponRedis couponRedis, Duration requestTtl) {
        this(new CouponRecords(dataSource), couponRedis, requestTtl, DEFAULT_PAGE_SIZE);
    }

    /**
     * @param requestTtl how long a request status lives after its decision (the gateway's request TTL)
     * @param pageSize   rows per page
     */
    public CouponStateRestorer(CouponRecords records, CouponRedis couponRedis, Duration requestTtl, int pageSize) {
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
        this.records = records;
        this.couponRedis = couponRedis;
        this.requestTtl = requestTtl;
        this.pageSize = pageSize;
    }

    /**
     * Restores the coupon; safe with requests in flight and with other restorers (PostgreSQL fences
     * I1 and I2; only missing hashes are written). A coupon hash Redis has is left as it is: its stock
     * is live.
     *
     * @return what was restored, or empty when PostgreSQL has no such coupon
     */
    public Optional<RestoreResult> restore(long couponId) {
        Issuances issued = restoreIssuances(couponId);
        long rejected = restoreRejections(couponId);
        return restoreCoupon(couponId, issued.rows(), issued.statuses() + rejected);
    }

    /** The users hash and the ISSUED statuses. */
    private Issuances restoreIssuances(long couponId) {
        long rows = 0;
        long statuses = 0;
        long afterId = 0;
        List<IssuedRow> page;
        do {
            page = records.issuedAfter(couponId, afterId, pageSize);
            if (page.isEmpty()) {
                break;
            }
            Map<Long, String> issuedUsers = new HashMap<>(page.size() * 2);
            List<RecordedDecision> decisions = new ArrayList<>(page.size());
            for (IssuedRow row : page) {
                issuedUsers.put(row.userId(), row.requestId());
                // a row whose request id the gateway did not write has no status anyone polls
                RequestId requestId = RequestId.tryParse(row.requestId());
                if (requestId != null && requestId.couponId() == couponId) {
                    decisions.add(new RecordedDecision(FinalStatus.issued(requestId, row.userId(), row.issuedAt()),
                            row.issuedAt()));
                }
            }
            couponRedis.restoreUsers(couponId, issuedUsers);
            statuses += couponRedis.restoreStatuses(couponId, decisions, requestTtl);
            rows += page.size();
            afterId = page.getLast().id();
        } while (page.size() == pageSize);
        return new Issuances(rows, statuses);
    }

    /** The REJECTED statuses; a rejected request holds no place in the users hash. */
    private long restoreRejections(long couponId) {
        long statuses = 0;
        String afterRequestId = "";
        List<RejectedRow> page;
        do {
            page = records.rejectedAfter(couponId, afterRequestId, pageSize);
            if (page.isEmpty()) {
                break;
            }
            List<RecordedDecision> decisions = new ArrayList<>(page.size());
            for (RejectedRow row : page) {
                RequestId requestId = RequestId.tryParse(row.requestId());
                RecordedDecision decision = requestId == null || requestId.couponId() != couponId ? null
                        : CouponRecords.rejected(requestId, row.userId(), row.reason(), row.rejectedAt());
                if (decision != null) {
                    decisions.add(decision);
                }
            }
            statuses += couponRedis.restoreStatuses(couponId, decisions, requestTtl);
            afterRequestId = page.getLast().requestId();
        } while (page.size() == pageSize);
        return statuses;
    }

    private Optional<RestoreResult> restoreCoupon(long couponId, long users, long statuses) {
        for (int attempt = 1; ; attempt++) {
            Optional<PendingCopy> copy = couponRedis.copyPendingIfMissing(couponId, COPY_LIFETIME);
            if (copy.isPresent()) {
                return rebuild(copy.get(), users, statuses);
            }
            Optional<CouponSnapshot> coupon = records.coupon(couponId);
            if (coupon.isEmpty()) {
                return Optional.empty();
            }
            Optional<CouponView> redis = couponRedis.coupon(couponId);
            if (redis.isPresent()) {
                return Optional.of(new RestoreResult(couponId, users, statuses, coupon.get().remainingQuantity(),
                        redis.get().remaining(), false));
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("coupon " + couponId + " kept vanishing from Redis during its restore");
            }
        }
    }

    /**
     * The pending requests P1 were copied first; now the coupon row and which of P1 are decided, in
     * one snapshot; then the hash, if still missing, with remaining = R - |P1 not decided|.
     */
    private Optional<RestoreResult> rebuild(PendingCopy copy, long users, long statuses) {
        try {
            Optional<StockSnapshot> snapshot = records.stockSnapshot(copy.couponId(), copy.size(),
                    (offset, limit) -> couponRedis.pendingCopyPage(copy, offset, limit), pageSize);
            if (snapshot.isEmpty()) {
                couponRedis.dropPendingCopy(copy);
                return Optional.empty();
            }
            CouponSnapshot coupon = snapshot.get().coupon();
            RebuildOutcome rebuilt = couponRedis.rebuild(coupon, copy.size() - snapshot.get().decided(), copy);
            return Optional.of(new RestoreResult(copy.couponId(), users, statuses, coupon.remainingQuantity(),
                    rebuilt.remaining(), rebuilt.created()));
        } catch (RuntimeException e) {
            try {
                couponRedis.dropPendingCopy(copy);
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            throw e;
        }
    }

    /** Issuance rows read, and the ISSUED statuses among them Redis had lost. */
    private record Issuances(long rows, long statuses) {
    }
}
