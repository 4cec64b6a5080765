package io.rushcoupon.worker.issuance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;

/**
 * Consumes issue requests in batches. Offsets are acknowledged only after every coupon's
 * transaction of the batch has committed (at-least-once; every write is safe to repeat).
 *
 * <p>Failures: a poison record is reported with {@link BatchListenerFailedException} after the
 * records before it are committed, so the error handler dead-letters just that record and the
 * partition moves on. Any other failure (PostgreSQL down, the coupon row kept changing) nacks the
 * whole batch: it is delivered again after a growing pause, for as long as it takes.
 *
 * <p>At DEBUG it writes one line per decided request, in the trace the record carries
 * ({@link RequestTraces}), so a request can be followed from the gateway's log into this one.
 */
@Component
class IssueRequestListener {

    static final String ID = "issue-requests";

    private static final Logger log = LoggerFactory.getLogger(IssueRequestListener.class);

    private final CouponIssuer issuer;
    private final RequestFinalizer finalizer;
    private final IssuanceMetrics metrics;
    private final RedeliveryBackOff backOff;
    private final RequestTraces traces;
    private final Clock clock;

    IssueRequestListener(CouponIssuer issuer, RequestFinalizer finalizer, IssuanceMetrics metrics,
            RedeliveryBackOff backOff, RequestTraces traces, Clock clock) {
        this.issuer = issuer;
        this.finalizer = finalizer;
        this.metrics = metrics;
        this.backOff = backOff;
        this.traces = traces;
        this.clock = clock;
    }

    /** The group is spring.kafka.consumer.group-id, not the listener id. */
    @KafkaListener(id = ID, idIsGroup = false, topics = Topics.ISSUE_REQUESTED)
    void onBatch(List<ConsumerRecord<String, IssueRequested>> records, Acknowledgment ack) {
        metrics.batch(records.size());
        PoisonRecord poison = PoisonRecord.firstIn(records);
        int issuable = poison == null ? records.size() : poison.index();
        try {
            issue(records.subList(0, issuable));
        } catch (RuntimeException e) {
            Duration pause = backOff.next();
            if (isTransient(e)) {
                log.warn("Batch of {} records not committed, delivering it again in {} ms: {}",
                        records.size(), pause.toMillis(), e.toString());
            } else {
                log.error("Batch of {} records failed, delivering it again in {} ms", records.size(),
                        pause.toMillis(), e);
            }
            ack.nack(0, pause);
            return;
        }
        backOff.reset();
        if (poison != null) {
            throw new BatchListenerFailedException(poison.reason(), poison.cause(), records.get(poison.index()));
        }
        ack.acknowledge();
    }

    private void issue(List<ConsumerRecord<String, IssueRequested>> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<Long, List<ConsumerRecord<String, IssueRequested>>> byCoupon = new LinkedHashMap<>();
        for (ConsumerRecord<String, IssueRequested> record : records) {
            byCoupon.computeIfAbsent(record.value().couponId(), id -> new ArrayList<>()).add(record);
        }
        boolean redisReachable = true;
        for (var coupon : byCoupon.entrySet()) {
            long started = System.nanoTime();
            CouponOutcome outcome = issuer.issue(coupon.getKey(),
                    coupon.getValue().stream().map(ConsumerRecord::value).toList());
            long committed = System.nanoTime();
            metrics.committed(outcome, clock.instant());
            // one Redis failure is enough: later coupons of the batch are left to the reconciler
            // rather than making the consumer wait for every timeout
            if (redisReachable) {
                redisReachable = finalizer.finalizeCommitted(outcome);
            }
            if (log.isDebugEnabled()) {
                log.debug("Coupon {}: {} requests, {} issued; PostgreSQL {} ms, Redis {} ms", outcome.couponId(),
                        outcome.decisions().size(), outcome.issued(), (committed - started) / 1_000_000,
                        (System.nanoTime() - committed) / 1_000_000);
                logDecisions(coupon.getValue(), outcome);
            }
        }
    }

    /** One line per request, in the trace its record carries; DEBUG only, as a rush has thousands. */
    private void logDecisions(List<ConsumerRecord<String, IssueRequested>> records, CouponOutcome outcome) {
        Map<String, IssueDecision> byRequest = new HashMap<>();
        for (IssueDecision decision : outcome.decisions()) {
            byRequest.put(decision.request().requestId(), decision);
        }
        for (ConsumerRecord<String, IssueRequested> record : records) {
            IssueDecision decision = byRequest.get(record.value().requestId());
            if (decision != null) {
                traces.within(record, () -> log.debug("Request {} of user {}: {}{}{}", decision.request().requestId(),
                        decision.request().userId(), decision.status().status(),
                        decision.status().reason() == null ? "" : " " + decision.status().reason(),
                        decision.replay() ? " (decided before)" : ""));
            }
        }
    }

    /** Only for the log level: every failure is retried the same way. */
    private static boolean isTransient(Throwable e) {
        return e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
                || e instanceof CannotCreateTransactionException || e instanceof VersionConflictException;
    }
}
