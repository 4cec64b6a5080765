package io.rushcoupon.worker.reconcile;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.DatabaseStock;
import io.rushcoupon.common.redis.RecordedDecision;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.common.restore.CouponRecords;

/**
 * Requests pending longer than the threshold, in every coupon with pending requests however old
 * (found in Redis, {@link CouponScan}), are finished from PostgreSQL's decision when it has one (the
 * worker committed but could not reach Redis): an issuance row → ISSUED, a rejection row →
 * REJECTED with its reason. Only undecided ones are sent to Kafka again from their Redis hash (the
 * gateway's send was lost or is unknown); the unique keys make a second delivery harmless. Their
 * age is measured in Redis's clock, which scored them (one TIME per coupon with requests pending and
 * round, on the node of its keys). A pending entry whose hash is gone (expired
 * after the request TTL) and that PostgreSQL has not decided cannot be re-sent, as the user is
 * unknown: it is dropped with a warning, and nobody is told anything, since the hash the user would
 * poll no longer exists.
 */
class StalePendingRequests implements ReconcilerJob {

    private static final Logger log = LoggerFactory.getLogger(StalePendingRequests.class);

    private final CouponRedis couponRedis;
    private final CouponRecords couponRecords;
    private final KafkaTemplate<String, Object> kafka;
    private final ReconcilerProperties properties;
    private final IssueRequestSettings issue;
    private final Counter resends;
    /** When this instance last re-sent a request, so a slow consumer is not flooded with copies. */
    private final Map<RequestId, Instant> resentAt = new HashMap<>();

    StalePendingRequests(CouponRedis couponRedis, CouponRecords couponRecords, KafkaTemplate<String, Object> kafka,
            ReconcilerProperties properties, IssueRequestSettings issue, MeterRegistry registry) {
        this.couponRedis = couponRedis;
        this.couponRecords = couponRecords;
        this.kafka = kafka;
        this.properties = properties;
        this.issue = issue;
        this.resends = Counter.builder(MetricNames.RECONCILER_RESENDS)
                .description("Pending requests the reconciler sent again").register(registry);
    }

    @Override
    public void run(RoundCoupons round) {
        Set<Long> withPending = Set.copyOf(round.withPending());
        resentAt.keySet().removeIf(requestId -> !withPending.contains(requestId.couponId()));
        for (long couponId : round.withPending()) {
            // the clock of the node that holds the coupon's keys, which scored its requests
            Instant now = couponRedis.time(couponId);
            resentAt.entrySet().removeIf(resent -> resent.getKey().couponId() == couponId
                    && resent.getValue().isBefore(now.minus(properties.pendingThreshold().multipliedBy(2))));
            finishStalePending(couponId, now);
        }
    }

    private void finishStalePending(long couponId, Instant now) {
        List<RequestId> stale = couponRedis.pendingSince(couponId, now.minus(properties.pendingThreshold()),
                properties.pendingLimit());
        if (stale.isEmpty()) {
            return;
        }
        Map<RequestId, RecordedDecision> decided = couponRecords.decisions(stale);
        if (!decided.isEmpty()) {
            // with PostgreSQL's total, so the finalize may zero a stock PostgreSQL has run out of
            DatabaseStock stock = couponRecords.coupon(couponId)
                    .map(coupon -> new DatabaseStock(coupon.remainingQuantity(), coupon.totalQuantity()))
                    .orElse(null);
            couponRedis.finalizeRequests(couponId,
                    decided.values().stream().map(RecordedDecision::status).toList(), stock, issue.requestTtl());
            log.info("Coupon {}: finalized {} decided requests still pending in Redis", couponId, decided.size());
        }
        resend(couponId, stale.stream().filter(requestId -> !decided.containsKey(requestId)).toList(), now);
    }

    private void resend(long couponId, List<RequestId> requestIds, Instant now) {
        Map<RequestId, CompletableFuture<?>> sends = new HashMap<>();
        for (RequestId requestId : requestIds) {
            Instant last = resentAt.get(requestId);
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
                send.getValue().get(sendTimeoutMillis(), TimeUnit.MILLISECONDS);
                resentAt.put(send.getKey(), now);
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

    private long sendTimeoutMillis() {
        return Math.max(1_000, properties.interval().toMillis());
    }
}
