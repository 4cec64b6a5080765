package io.rushcoupon.worker.reconcile;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSetAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.redis.CouponField;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.restore.CouponRecords;

/**
 * Which coupons — of all PostgreSQL has, however long ago their window ended — Redis lacks, or
 * holds pending requests for: the work the reconciler and the pending gauges look at. A window
 * filter would leave requests of a coupon that ended long ago pending for ever, unseen. Coupon ids
 * come from PostgreSQL in keyset pages, newest first (the likeliest to be taking requests are
 * restored first), and each page costs one pipelined Redis round trip.
 */
@Component
class CouponScan {

    private static final int PAGE_SIZE = 500;

    private final RedissonClient redisson;
    private final CouponRecords couponRecords;

    CouponScan(RedissonClient redisson, CouponRecords couponRecords) {
        this.redisson = redisson;
        this.couponRecords = couponRecords;
    }

    /** The coupons Redis lacks or has requests pending for, newest first. */
    List<CouponInRedis> scan() {
        List<CouponInRedis> found = new ArrayList<>();
        long before = Long.MAX_VALUE;
        List<Long> ids;
        do {
            ids = couponRecords.couponIdsBefore(before, PAGE_SIZE);
            if (ids.isEmpty()) {
                break;
            }
            found.addAll(read(ids));
            before = ids.getLast();
        } while (ids.size() == PAGE_SIZE);
        return found;
    }

    private List<CouponInRedis> read(List<Long> couponIds) {
        RBatch batch = redisson.createBatch();
        List<RFuture<Boolean>> present = new ArrayList<>(couponIds.size());
        List<RFuture<Integer>> sizes = new ArrayList<>(couponIds.size());
        List<RFuture<Double>> oldest = new ArrayList<>(couponIds.size());
        for (long couponId : couponIds) {
            CouponKeys keys = CouponKeys.of(couponId);
            present.add(batch.<String, String>getMap(keys.coupon(), StringCodec.INSTANCE)
                    .containsKeyAsync(CouponField.state.field()));
            RScoredSortedSetAsync<String> pending = batch.getScoredSortedSet(keys.pending(), StringCodec.INSTANCE);
            sizes.add(pending.sizeAsync());
            oldest.add(pending.firstScoreAsync());
        }
        batch.execute();
        List<CouponInRedis> found = new ArrayList<>();
        for (int i = 0; i < couponIds.size(); i++) {
            boolean missing = !present.get(i).toCompletableFuture().join();
            int size = sizes.get(i).toCompletableFuture().join();
            if (missing || size > 0) {
                Double first = oldest.get(i).toCompletableFuture().join();
                found.add(new CouponInRedis(couponIds.get(i), missing, size,
                        first == null ? null : first.longValue()));
            }
        }
        return found;
    }

    /**
     * One coupon as Redis has it.
     *
     * @param missing          Redis has no coupon hash for it
     * @param pending          requests in its pending set
     * @param oldestAcceptedAt the oldest pending request's score (Redis time, epoch ms), if any
     */
    record CouponInRedis(long couponId, boolean missing, int pending, @Nullable Long oldestAcceptedAt) {
    }
}
