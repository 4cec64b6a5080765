package io.rushcoupon.gateway.issue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.PrecheckOutcome;

/**
 * This gateway's memory of coupons Redis called SOLD_OUT or ISSUANCE_ENDED, so that the flood of
 * clicks after a sell-out is refused without a Redis round trip. Never used to admit: it only
 * refuses, and only users who had no request for the coupon when it was learned (the others must
 * hear DUPLICATE_REQUEST from Redis, which answers the user's own request first).
 *
 * <p>Invalidated through Redis: every script that can reopen admission (stock given back or moved,
 * settings written, coupon created or removed) publishes the coupon on
 * {@link CouponKeys#COUPON_CHANGES}, and a message drops the coupon here. A state is learned only
 * if no message for its coupon arrived since the users were asked for, and only while subscribed;
 * so a change after Redis answered is never missed, whichever of reply and message comes first. A
 * (re)subscription drops everything, as messages may have been lost meanwhile; and no state is used
 * for longer than {@link TerminalCacheProperties#trust()} without asking Redis again.
 */
@Component
class TerminalCoupons {

    private static final Logger log = LoggerFactory.getLogger(TerminalCoupons.class);

    private final CouponRedis couponRedis;
    private final RTopic changes;
    private final long trustNanos;
    private final int maxUsers;
    private final Counter refusals;
    private final Map<Long, Terminal> terminal = new ConcurrentHashMap<>();
    /** When (nanoTime) the last change of each coupon arrived; kept only as long as it can matter. */
    private final Map<Long, Long> changedAt = new ConcurrentHashMap<>();
    private final Set<Long> learning = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    /** Changes with every (re)subscription and loss of it; a state learned across one is dropped. */
    private final AtomicLong subscription = new AtomicLong();
    private volatile boolean subscribed;

    TerminalCoupons(CouponRedis couponRedis, RedissonClient redisson, TerminalCacheProperties settings,
            MeterRegistry registry) {
        this.couponRedis = couponRedis;
        this.changes = redisson.getTopic(CouponKeys.COUPON_CHANGES, StringCodec.INSTANCE);
        this.trustNanos = settings.trust().toNanos();
        this.maxUsers = settings.maxUsers();
        this.refusals = Counter.builder(MetricNames.TERMINAL_CACHE_REFUSALS)
                .description("Issue requests refused from the gateway's cache of sold-out and ended coupons")
                .register(registry);
    }

    /** The refusal Redis would give this user now, if this gateway knows it; empty means ask Redis. */
    Optional<PrecheckOutcome> refusal(long couponId, long userId) {
        Terminal known = terminal.get(couponId);
        if (known == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - known.learnedAt() > trustNanos) {
            terminal.remove(couponId, known);
            return Optional.empty();
        }
        if (known.usersWithRequest().contains(userId)) {
            return Optional.empty();
        }
        refusals.increment();
        return Optional.of(known.outcome());
    }

    /**
     * Told of each refusal Redis gave; a terminal one is remembered once the coupon's users with a
     * request are read, asynchronously, so no client waits for it.
     */
    void refusedByRedis(long couponId, PrecheckOutcome outcome) {
        if (maxUsers == 0 || (outcome != PrecheckOutcome.SOLD_OUT && outcome != PrecheckOutcome.ISSUANCE_ENDED)) {
            return;
        }
        if (!subscribed) {
            subscribe();
            return;
        }
        Terminal known = terminal.get(couponId);
        if (known != null && known.outcome() == outcome && System.nanoTime() - known.learnedAt() <= trustNanos / 2) {
            return;
        }
        if (!learning.add(couponId)) {
            return;
        }
        long asked = System.nanoTime();
        long subscriptionAsked = subscription.get();
        try {
            couponRedis.usersWithRequest(couponId, maxUsers).whenComplete((users, failure) -> {
                learning.remove(couponId);
                Long changed = changedAt.get(couponId);
                boolean unchanged = (changed == null || changed - asked < 0) && subscribed
                        && subscription.get() == subscriptionAsked;
                if (failure == null && users.isPresent() && unchanged) {
                    terminal.put(couponId, new Terminal(outcome, users.get(), asked));
                }
            });
        } catch (RuntimeException e) {
            learning.remove(couponId);
            log.debug("Could not read the users of coupon {}: {}", couponId, e.toString());
        }
    }

    private void changed(String couponKey) {
        OptionalLong couponId = CouponKeys.couponIdOf(couponKey);
        if (couponId.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        changedAt.put(couponId.getAsLong(), now);
        terminal.remove(couponId.getAsLong());
        if (changedAt.size() > 10_000) {
            // a change older than the longest read of users cannot matter to any learning any more
            changedAt.values().removeIf(at -> now - at > trustNanos);
        }
    }

    private void forgetAll() {
        subscription.incrementAndGet();
        terminal.clear();
    }

    /** Once, and again after a failed attempt; Redisson resubscribes by itself after a reconnect. */
    private void subscribe() {
        if (!subscribing.compareAndSet(false, true)) {
            return;
        }
        // the message listener subscribes; the status listener then sees Redisson's resubscriptions
        // after a reconnect, when messages may have been lost
        changes.addListenerAsync(String.class, (channel, couponKey) -> changed(couponKey))
                .thenCompose(listener -> changes.addListenerAsync(new StatusListener() {
                    @Override
                    public void onSubscribe(String channel) {
                        forgetAll();
                        subscribed = true;
                    }

                    @Override
                    public void onUnsubscribe(String channel) {
                        subscribed = false;
                        forgetAll();
                    }
                }))
                .whenComplete((listener, failure) -> {
                    if (failure != null) {
                        log.debug("Could not subscribe to {}: {}", CouponKeys.COUPON_CHANGES, failure.toString());
                        subscribing.set(false);
                    } else {
                        forgetAll();
                        subscribed = true;
                    }
                });
    }

    /** A coupon's terminal state as Redis gave it, with the users who had a request then. */
    private record Terminal(PrecheckOutcome outcome, Set<Long> usersWithRequest, long learnedAt) {
    }
}
