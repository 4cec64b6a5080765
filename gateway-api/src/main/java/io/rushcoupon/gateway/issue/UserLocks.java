package io.rushcoupon.gateway.issue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.AdmissionGuard;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.gateway.config.RedisCommandTime;
import io.rushcoupon.gateway.ratelimit.RateLimitProperties;

/**
 * The per-user lock of the rush path, taken inside the admission script itself (issue-precheck.lua):
 * one Redis round trip admits a click and locks its user, and a refusal takes no lock at all. It keeps
 * one user's parallel clicks from racing through admission and a possible compensation: while the
 * first click sends, a second one that would be admitted or told DUPLICATE_REQUEST finds the lock
 * ({@link PrecheckOutcome#LOCKED}), retries a short pause apart within the lock wait, and then gets
 * BUSY, instead of DUPLICATE pointing at a request that may still be undone.
 *
 * <p>The lock is a lease owned by the admitted request's id, not a mutex: admission control only.
 * The holder releases it once Kafka has answered ({@link #release}), without making its client wait.
 * Only a user's own parallel clicks ever retry, so the polling costs a handful of round trips at
 * most; the common case is one round trip.
 *
 * <p>The lease is derived, not set: it must not end while its holder is still inside the calls it
 * makes under the lock, or the user's next click would get in and be told DUPLICATE_REQUEST about a
 * request the first click may still undo. From the admission script's first run the holder may wait
 * for that script's retries (Redisson re-sends it after a lost reply), the Kafka send up to its
 * timeout and a compensation with all its retries ({@link RedisCommandTime}). With the defaults that
 * is about 17 s: how long a crashed gateway's user may see BUSY.
 */
@Component
class UserLocks {

    private static final Logger log = LoggerFactory.getLogger(UserLocks.class);

    /** Pause between attempts while another click of the user holds the lock. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CouponRedis couponRedis;
    private final IssueMetrics metrics;
    private final Duration wait;
    private final AdmissionGuard guard;
    private final Timer acquired;
    private final Timer timedOut;
    private final Timer failed;

    UserLocks(CouponRedis couponRedis, RedissonClient redisson, IssueMetrics metrics, GatewayProperties settings,
            RateLimitProperties rateLimit, MeterRegistry registry) {
        this.couponRedis = couponRedis;
        this.metrics = metrics;
        this.wait = settings.lockWait();
        Duration lease = lease(settings, RedisCommandTime.of(redisson.getConfig()));
        this.guard = new AdmissionGuard(rateLimit.requests(), rateLimit.window(), lease);
        log.info("Per-user lock lease {} (send timeout and Redis's retries)", lease);
        this.acquired = lockWait(registry, "acquired");
        this.timedOut = lockWait(registry, "timeout");
        this.failed = lockWait(registry, "error");
    }

    /**
     * Runs the admission script, again while another click of the user holds the lock, up to the
     * lock wait. The rate limit counts the click once, not each retry.
     *
     * @return the decision; {@link PrecheckOutcome#LOCKED} when the lock stayed taken for the whole wait
     * @throws org.redisson.client.RedisException when Redis cannot be asked
     */
    PrecheckResult admit(RequestId requestId, Requester requester, Duration requestTtl) {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        AdmissionGuard attemptGuard = guard;
        while (true) {
            PrecheckResult result;
            try {
                AdmissionGuard current = attemptGuard;
                result = metrics.precheck().record(() -> couponRedis.precheck(requestId, requester.userId(),
                        requester.email(), requester.username(), requestTtl, current));
            } catch (RuntimeException e) {
                failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                throw e;
            }
            if (result.outcome() != PrecheckOutcome.LOCKED) {
                if (result.accepted() || result.outcome() == PrecheckOutcome.DUPLICATE_REQUEST) {
                    // the decisions that depend on the lock: it was free (or taken) at that moment
                    acquired.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }
                return result;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pause(left)) {
                timedOut.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return result;
            }
            attemptGuard = guard.notCountedAgain();
        }
    }

    /** Lets the user's next click in; asynchronous, and a failure only leaves the lock to its lease. */
    void release(RequestId requestId, long userId) {
        try {
            couponRedis.releaseUserLock(requestId, userId).whenComplete((released, failure) -> {
                if (failure != null) {
                    notReleased(requestId, userId, failure);
                }
            });
        } catch (RuntimeException e) {
            notReleased(requestId, userId, e);
        }
    }

    /** The lease ends it anyway; until then the user's next click answers BUSY. */
    private static void notReleased(RequestId requestId, long userId, Throwable failure) {
        log.warn("Could not release the lock of user {} for {}; it expires with its lease: {}", userId, requestId,
                failure.toString());
    }

    /** See the class comment: everything the holder may still be waiting for, with every retry. */
    static Duration lease(GatewayProperties settings, RedisCommandTime redis) {
        Duration admissionAndCompensation = redis.worstCase().multipliedBy(2);
        return admissionAndCompensation.plus(settings.sendTimeout());
    }

    Duration lease() {
        return guard.lockLease();
    }

    private static boolean pause(long leftNanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(RETRY_PAUSE_NANOS, leftNanos));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Timer lockWait(MeterRegistry registry, String result) {
        return Timer.builder(MetricNames.LOCK_WAIT)
                .description("Waiting for the per-user lock")
                .tag(MetricNames.RESULT, result)
                .register(registry);
    }
}
