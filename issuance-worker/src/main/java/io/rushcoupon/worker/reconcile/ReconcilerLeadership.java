package io.rushcoupon.worker.reconcile;

import java.util.concurrent.TimeUnit;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rushcoupon.common.redis.CouponKeys;

/**
 * Runs the reconciler's work in at most one worker at a time: the holder of the Redisson leader
 * lock, whose lease ({@link ReconcilerProperties#leaderLease()}) outlives a crashed leader only
 * briefly. The lock is admission, not a fence: every repair is safe to run twice.
 */
class ReconcilerLeadership {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerLeadership.class);

    private final RedissonClient redisson;
    private final ReconcilerProperties properties;

    ReconcilerLeadership(RedissonClient redisson, ReconcilerProperties properties) {
        this.redisson = redisson;
        this.properties = properties;
    }

    /** Runs {@code work} if this instance gets the lock without waiting; otherwise does nothing. */
    void runIfLeader(Runnable work) {
        RLock leader = redisson.getLock(CouponKeys.RECONCILER_LEADER_LOCK);
        try {
            if (!leader.tryLock(0, properties.leaderLease().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("Reconciler skips a round, Redis unavailable: {}", e.toString());
            return;
        }
        try {
            work.run();
        } finally {
            try {
                if (leader.isHeldByCurrentThread()) {
                    leader.unlock();
                }
            } catch (RuntimeException e) {
                log.debug("Could not release the reconciler lock; its lease expires", e);
            }
        }
    }
}
