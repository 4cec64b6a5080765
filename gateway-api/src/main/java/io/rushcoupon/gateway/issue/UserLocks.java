package io.rushcoupon.gateway.issue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.redisson.api.RFuture;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.gateway.config.RedisCommandTime;

/**
 * The per-user lock at the entry of the rush path (Redisson {@link RLock}, key scoped to coupon and
 * user). It keeps one user's parallel clicks from racing through the pre-check and a possible
 * compensation: while the first click sends, a second one waits briefly and then gets BUSY, instead
 * of DUPLICATE pointing at a request that may still be undone.
 *
 * <p>The lock is a lease, not a mutex: admission control only. Each acquisition gets its own owner
 * id instead of the thread's id, so ownership never depends on which (virtual) thread unlocks.
 *
 * <p>Waiting is a few immediate attempts a short pause apart, not Redisson's waiting
 * {@code tryLock}: that one subscribes to the lock's unlock channel, and under a rush (one channel
 * per user) subscriptions that cannot be set up within the short wait fail the async call with a
 * {@code RedisTimeoutException} ("Unable to acquire subscription lock", seen in the load test),
 * while its sync variant reports even real Redis errors as "not acquired". Only a user's own
 * parallel clicks ever wait, so the polling costs a handful of round trips at most; the common,
 * uncontended case is one round trip.
 *
 * <p>If Redisson re-sends the lock script after a lost reply, the re-run re-enters the lock (hold
 * count 2) and the single unlock leaves it to its lease: the user sees BUSY for at most the lease.
 *
 * <p>The lease is derived, not set: it must not end while its holder is still inside the calls it
 * makes under the lock, or the user's next click would get in and be told DUPLICATE_REQUEST about
 * a request the first click may still undo. Under the lock a request waits for the lock script's
 * own reply, then runs the pre-check and possibly a compensation, each with all of Redisson's
 * retries ({@link RedisCommandTime}), and the Kafka send up to its timeout; the lock wait is added
 * on top. With the defaults that is about 18 s: how long a crashed gateway's user may see BUSY.
 */
@Component
class UserLocks {

    private static final Logger log = LoggerFactory.getLogger(UserLocks.class);

    /** Pause between attempts while another click of the user holds the lock. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final RedissonClient redisson;
    private final Duration wait;
    private final Duration lease;
    private final AtomicLong owners = new AtomicLong();
    private final Timer acquired;
    private final Timer timedOut;
    private final Timer failed;

    UserLocks(RedissonClient redisson, GatewayProperties settings, MeterRegistry registry) {
        this.redisson = redisson;
        this.wait = settings.lockWait();
        this.lease = lease(settings, RedisCommandTime.of(redisson.getConfig()));
        log.info("Per-user lock lease {} (lock wait, send timeout and Redis's retries)", lease);
        this.acquired = lockWait(registry, "acquired");
        this.timedOut = lockWait(registry, "timeout");
        this.failed = lockWait(registry, "error");
    }

    /**
     * Takes the user's lock, waiting up to the configured time.
     *
     * @return the held lock, or empty when another request of the user holds it
     * @throws org.redisson.client.RedisException when Redis cannot be asked
     */
    Optional<HeldLock> tryAcquire(long couponId, long userId) {
        RLock lock = redisson.getLock(CouponKeys.of(couponId).userLock(userId));
        long owner = owners.incrementAndGet();
        long start = System.nanoTime();
        try {
            boolean locked = tryLock(lock, owner, start + wait.toNanos());
            (locked ? acquired : timedOut).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return locked ? Optional.of(new HeldLock(lock, owner)) : Optional.empty();
        } catch (RuntimeException e) {
            failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /** See the class comment: everything the holder may still be waiting for, with every retry. */
    static Duration lease(GatewayProperties settings, RedisCommandTime redis) {
        Duration precheckAndCompensation = redis.worstCase().multipliedBy(2);
        return settings.lockWait().plus(redis.replyTimeout()).plus(precheckAndCompensation)
                .plus(settings.sendTimeout());
    }

    private boolean tryLock(RLock lock, long owner, long deadline) {
        while (true) {
            // wait time 0: a single attempt, no unlock-channel subscription
            if (await(lock.tryLockAsync(0, lease.toMillis(), TimeUnit.MILLISECONDS, owner))) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(RETRY_PAUSE_NANOS, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static Timer lockWait(MeterRegistry registry, String result) {
        return Timer.builder(MetricNames.LOCK_WAIT)
                .description("Waiting for the per-user lock")
                .tag(MetricNames.RESULT, result)
                .register(registry);
    }

    /** Redisson bounds its futures by its own timeouts; this only unwraps their failure. */
    private static <T> T await(RFuture<T> future) {
        try {
            return future.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** A lock this gateway holds; closing releases it and never throws. */
    record HeldLock(RLock lock, long owner) implements AutoCloseable {

        @Override
        public void close() {
            try {
                await(lock.unlockAsync(owner));
            } catch (RuntimeException e) {
                // the lease ends it anyway; until then the user's next click answers BUSY
                log.warn("Could not release {}; it expires with its lease: {}", lock.getName(), e.toString());
            }
        }
    }
}
