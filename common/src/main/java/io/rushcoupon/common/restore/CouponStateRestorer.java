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
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.restore.CouponRecords.IssuedRow;

/**
 * Restores one coupon's Redis state from PostgreSQL, the record, whoever asks (the worker's
 * reconciler, the admin's reconcile endpoint): the users already issued, their ISSUED request
 * statuses, then settings and stock (PostgreSQL remaining less what is still pending), in that
 * order, so the gateway sees the coupon only once its users are back. Issuances are read in keyset
 * pages, so a coupon of millions of units never sits in the heap. In {@code common} with plain JDBC
 * because both services need this one copy and {@code common} must stay free of Spring.
 */
public final class CouponStateRestorer {

    /** Issuance rows read and written to Redis per round trip. */
    public static final int DEFAULT_PAGE_SIZE = 1_000;

    private final CouponRecords records;
    private final CouponRedis couponRedis;
    private final Duration requestTtl;
    private final int pageSize;

    public CouponStateRestorer(DataSource dataSource, CouponRedis couponRedis, Duration requestTtl) {
        this(new CouponRecords(dataSource), couponRedis, requestTtl, DEFAULT_PAGE_SIZE);
    }

    /**
     * @param requestTtl how long a restored request status lives (the gateway's request TTL)
     * @param pageSize   issuance rows per page
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
     * Restores the coupon; safe with requests in flight (PostgreSQL fences I1 and I2), it may only
     * hold back a few units until they settle.
     *
     * @return what was restored, or empty when PostgreSQL has no such coupon
     */
    public Optional<RestoreResult> restore(long couponId) {
        long users = 0;
        long statuses = 0;
        long afterId = 0;
        List<IssuedRow> page;
        do {
            page = records.issuedAfter(couponId, afterId, pageSize);
            if (page.isEmpty()) {
                break;
            }
            Map<Long, String> issuedUsers = new HashMap<>(page.size() * 2);
            List<FinalStatus> issued = new ArrayList<>(page.size());
            for (IssuedRow row : page) {
                issuedUsers.put(row.userId(), row.requestId());
                // a row whose request id the gateway did not write has no status anyone polls
                RequestId requestId = RequestId.tryParse(row.requestId());
                if (requestId != null && requestId.couponId() == couponId) {
                    issued.add(FinalStatus.issued(requestId, row.userId(), row.issuedAt()));
                }
            }
            couponRedis.restoreUsers(couponId, issuedUsers);
            statuses += couponRedis.restoreIssued(couponId, issued, requestTtl);
            users += page.size();
            afterId = page.getLast().id();
        } while (page.size() == pageSize);
        // read last, right before writing, so the stock is as fresh as it can be
        Optional<CouponSnapshot> coupon = records.coupon(couponId);
        if (coupon.isEmpty()) {
            return Optional.empty();
        }
        long redisRemaining = couponRedis.rebuild(coupon.get(), Map.of());
        return Optional.of(new RestoreResult(couponId, users, statuses, coupon.get().remainingQuantity(),
                redisRemaining));
    }
}
