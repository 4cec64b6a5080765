package io.rushcoupon.worker.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.worker.reconcile.ReconcilerStore.CommittedIssuance;

/**
 * Repairs what a crash or restart can leave behind, one round per interval, in at most one worker
 * at a time (the holder of the Redisson leader lock). For every coupon that is scheduled, open or
 * recently ended:
 * <ol>
 *   <li>its Redis state is missing (Redis restarted empty) → rebuilt from PostgreSQL, with the
 *       users already issued; its settings differ from PostgreSQL → published again</li>
 *   <li>requests pending longer than the threshold → finalized ISSUED when PostgreSQL has their
 *       row (the worker committed but could not reach Redis), otherwise sent to Kafka again
 *       from their Redis hash (the gateway's send was lost or is unknown); the unique keys make a
 *       second delivery harmless. A pending entry whose hash is gone (expired after the request
 *       TTL) cannot be re-sent, as the user is unknown: it is dropped with a warning, and nobody
 *       is told anything, since the hash the user would poll no longer exists</li>
 *   <li>nothing pending but Redis's stock differs from PostgreSQL's (I5) → rebuilt</li>
 * </ol>
 */
class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final RedissonClient redisson;
    private final CouponRedis couponRedis;
    private final ReconcilerStore store;
    private final KafkaTemplate<String, Object> kafka;
    private final ReconcilerProperties properties;
    private final IssueRequestSettings issue;
    private final Clock clock;
    private final Counter resends;
    private final Counter rebuilds;
    /** When this instance last re-sent a request, so a slow consumer is not flooded with copies. */
    private final Map<String, Instant> resentAt = new HashMap<>();

    Reconciler(RedissonClient redisson, CouponRedis couponRedis, ReconcilerStore store,
            KafkaTemplate<String, Object> kafka, ReconcilerProperties properties, IssueRequestSettings issue,
            MeterRegistry registry, Clock clock) {
        this.redisson = redisson;
        this.couponRedis = couponRedis;
        this.store = store;
        this.kafka = kafka;
        this.properties = properties;
        this.issue = issue;
        this.clock = clock;
        this.resends = Counter.builder(MetricNames.RECONCILER_RESENDS)
                .description("Pending requests the reconciler sent again").register(registry);
        this.rebuilds = Counter.builder(MetricNames.RECONCILER_REBUILDS)
                .description("Coupons the reconciler rebuilt in Redis").register(registry);
    }

    /** One round, if this instance is the leader; failures wait for the next round. */
    synchronized void round() {
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
            String round = couponRedis.startStateRound();
            reconcileAll();
            // every live coupon is in Redis now, unless it restarted empty meanwhile: only then
            // may unknown ids be answered 404 again
            if (!couponRedis.markStateLoaded(round, clock.instant())) {
                log.info("Redis lost its state during the reconciler round; the next round restores it");
            }
        } catch (RuntimeException e) {
            log.warn("Reconciler round failed: {}", e.toString());
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

    private void reconcileAll() {
        Instant now = clock.instant();
        resentAt.values().removeIf(at -> at.isBefore(now.minus(properties.pendingThreshold().multipliedBy(2))));
        for (CouponSnapshot coupon : store.liveCoupons(now.minus(properties.endedGrace()))) {
            reconcile(coupon, now);
        }
    }

    private void reconcile(CouponSnapshot coupon, Instant now) {
        long couponId = coupon.couponId();
        Optional<CouponView> view = couponRedis.coupon(couponId);
        if (view.isEmpty()) {
            rebuild(couponId, "state missing from Redis");
            restoreIssuedStatuses(couponId);
        } else if (!sameSettings(coupon, view.get())) {
            publishSettings(couponId);
        }
        finishStalePending(couponId, now);
        if (view.isPresent()) {
            repairStock(couponId);
        }
    }

    private void finishStalePending(long couponId, Instant now) {
        List<RequestId> stale = couponRedis.pendingSince(couponId, now.minus(properties.pendingThreshold()),
                properties.pendingLimit());
        if (stale.isEmpty()) {
            return;
        }
        Map<String, CommittedIssuance> committed = store.issuances(stale.stream().map(RequestId::toString).toList());
        List<FinalStatus> issued = new ArrayList<>();
        List<RequestId> unsent = new ArrayList<>();
        for (RequestId requestId : stale) {
            CommittedIssuance row = committed.get(requestId.toString());
            if (row != null) {
                issued.add(FinalStatus.issued(requestId, row.userId(), row.issuedAt()));
            } else {
                unsent.add(requestId);
            }
        }
        if (!issued.isEmpty()) {
            int remaining = store.coupon(couponId).map(CouponSnapshot::remainingQuantity).orElse(0);
            couponRedis.finalizeRequests(couponId, issued, remaining, issue.requestTtl());
            log.info("Coupon {}: finalized {} committed requests still pending in Redis", couponId, issued.size());
        }
        resend(couponId, unsent, now);
    }

    private void resend(long couponId, List<RequestId> requestIds, Instant now) {
        Map<RequestId, CompletableFuture<?>> sends = new HashMap<>();
        for (RequestId requestId : requestIds) {
            Instant last = resentAt.get(requestId.toString());
            if (last != null && last.isAfter(now.minus(properties.pendingThreshold()))) {
                continue;
            }
            RequestView request = couponRedis.request(requestId).orElse(null);
            if (request == null) {
                dropPending(requestId);
                continue;
            }
            if (request.status() != IssueStatus.PENDING) {
                // decided since the pending set was read; finalizing took it out of the set
                continue;
            }
            IssueRequested event = new IssueRequested(requestId.toString(), couponId, request.userId(),
                    request.email(), request.username(), Objects.requireNonNullElse(request.requestedAt(), now));
            sends.put(requestId, kafka.send(Topics.ISSUE_REQUESTED, Long.toString(couponId), event));
        }
        int sent = 0;
        for (var send : sends.entrySet()) {
            try {
                send.getValue().get(issueSendTimeoutMillis(), TimeUnit.MILLISECONDS);
                resentAt.put(send.getKey().toString(), now);
                sent++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("Could not re-send request {}: {}", send.getKey(), e.toString());
            }
        }
        if (sent > 0) {
            resends.increment(sent);
            log.info("Coupon {}: re-sent {} requests pending longer than {}", couponId, sent,
                    properties.pendingThreshold());
        }
    }

    /**
     * A pending entry whose request hash is gone (expired after the request TTL) cannot be re-sent:
     * the user is unknown. Nobody can poll it either, so it is dropped; it would otherwise block
     * the stock repair forever. (A hash deleted by the gateway's compensation left the set at the
     * same moment, so then there is nothing to remove.)
     */
    private void dropPending(RequestId requestId) {
        if (couponRedis.dropPending(requestId)) {
            log.warn("Dropped pending request {}: its hash is gone, so it cannot be re-sent", requestId);
        }
    }

    /**
     * Rebuilds Redis's stock only while the coupon is quiet: nothing pending, and the same stock
     * read before and after PostgreSQL's, so no request slipped through between the reads.
     */
    private void repairStock(long couponId) {
        if (couponRedis.pendingCount(couponId) != 0) {
            return;
        }
        Optional<CouponView> before = couponRedis.coupon(couponId);
        Optional<CouponSnapshot> database = store.coupon(couponId);
        if (before.isEmpty() || database.isEmpty() || before.get().remaining() == database.get().remainingQuantity()) {
            return;
        }
        Optional<CouponView> after = couponRedis.coupon(couponId);
        if (couponRedis.pendingCount(couponId) != 0 || after.isEmpty()
                || after.get().remaining() != before.get().remaining()) {
            return;
        }
        rebuild(couponId, "Redis remaining " + before.get().remaining() + " differs from PostgreSQL's "
                + database.get().remainingQuantity());
    }

    private void rebuild(long couponId, String why) {
        Map<Long, String> users = store.issuedUsers(couponId);
        // read last, right before writing, so the snapshot is as fresh as it can be
        Optional<CouponSnapshot> coupon = store.coupon(couponId);
        if (coupon.isEmpty()) {
            return;
        }
        long remaining = couponRedis.rebuild(coupon.get(), users);
        rebuilds.increment();
        log.info("Coupon {} rebuilt in Redis ({}): {} users issued, {} remaining", couponId, why, users.size(),
                remaining);
    }

    /**
     * Redis restarted empty: the statuses users poll went with it. Those of issued requests come
     * back from PostgreSQL (requests still in flight get theirs when the worker commits them).
     * Rejections are not kept in PostgreSQL; their users poll 404 until they ask again, which
     * then answers DUPLICATE_REQUEST or admits them (see docs/reliability.md, F3).
     */
    private void restoreIssuedStatuses(long couponId) {
        long restored = couponRedis.restoreIssued(couponId, store.issuedRequests(couponId), issue.requestTtl());
        if (restored > 0) {
            log.info("Coupon {}: restored the ISSUED status of {} requests in Redis", couponId, restored);
        }
    }

    private void publishSettings(long couponId) {
        Optional<CouponSnapshot> fresh = store.coupon(couponId);
        Optional<CouponView> view = couponRedis.coupon(couponId);
        if (fresh.isPresent() && view.isPresent() && !sameSettings(fresh.get(), view.get())) {
            couponRedis.publish(fresh.get());
            log.info("Coupon {}: settings in Redis differed from PostgreSQL, published again", couponId);
        }
    }

    private static boolean sameSettings(CouponSnapshot database, CouponView redis) {
        return database.state() == redis.state()
                && database.name().equals(redis.name())
                && database.issueStartsAt().toEpochMilli() == redis.issueStartsAt().toEpochMilli()
                && database.issueEndsAt().toEpochMilli() == redis.issueEndsAt().toEpochMilli()
                && database.totalQuantity() == redis.totalQuantity();
    }

    private long issueSendTimeoutMillis() {
        return Math.max(1_000, properties.interval().toMillis());
    }
}
