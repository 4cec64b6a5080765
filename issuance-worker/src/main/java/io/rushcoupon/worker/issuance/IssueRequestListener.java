package io.rushcoupon.worker.issuance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.RequestView;

/**
 * Consumes issue requests in batches. Offsets are acknowledged only after every coupon's
 * transaction of the batch has committed (at-least-once; every write is safe to repeat).
 *
 * <p>Failures: a poison record (unreadable or invalid) is rejected VALIDATION_FAILED once the
 * records before it are committed, then reported with {@link BatchListenerFailedException}, so the
 * error handler dead-letters just that record and the partition moves on. A request PostgreSQL
 * refuses to store ({@link DataErrors}) is found by deciding its coupon's requests one at a time,
 * then rejected and dead-lettered alone. Any other failure (PostgreSQL down, the coupon row kept
 * changing) nacks the whole batch: it is delivered again after a growing pause, for as long as it
 * takes; what was committed before is replayed from its recorded decisions.
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
    private final DeadLetters deadLetters;
    private final IssuanceMetrics metrics;
    private final RedeliveryBackOff backOff;
    private final RequestTraces traces;
    private final Clock clock;

    IssueRequestListener(CouponIssuer issuer, RequestFinalizer finalizer, DeadLetters deadLetters,
            IssuanceMetrics metrics, RedeliveryBackOff backOff, RequestTraces traces, Clock clock) {
        this.issuer = issuer;
        this.finalizer = finalizer;
        this.deadLetters = deadLetters;
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
            if (poison != null) {
                rejectPoison(poison, records.get(poison.index()));
            }
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
            CouponOutcome outcome = decide(coupon.getKey(), coupon.getValue());
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

    /**
     * One transaction for the coupon's requests; when PostgreSQL refuses their data
     * ({@link DataErrors}), one transaction per request instead, so the requests it refuses alone
     * are rejected alone and the others are still issued.
     */
    private CouponOutcome decide(long couponId, List<ConsumerRecord<String, IssueRequested>> records) {
        try {
            return issuer.issue(couponId, records.stream().map(ConsumerRecord::value).toList());
        } catch (RuntimeException e) {
            if (!DataErrors.isDeterministic(e)) {
                throw e;
            }
            log.warn("Coupon {}: PostgreSQL refused a batch of {} requests (SQLState {}); deciding them one by one",
                    couponId, records.size(), DataErrors.sqlState(e));
            return isolate(couponId, records);
        }
    }

    private CouponOutcome isolate(long couponId, List<ConsumerRecord<String, IssueRequested>> records) {
        List<CouponOutcome> outcomes = new ArrayList<>(records.size());
        for (ConsumerRecord<String, IssueRequested> record : records) {
            try {
                outcomes.add(issuer.issue(couponId, List.of(record.value())));
            } catch (RuntimeException e) {
                if (!DataErrors.isDeterministic(e)) {
                    throw e;
                }
                // dead-lettered first: if the rejection then fails to commit, the batch comes
                // again and the record is dead-lettered again rather than never
                deadLetters.accept(record, null, e);
                outcomes.add(issuer.reject(couponId, record.value(), ErrorCode.VALIDATION_FAILED));
            }
        }
        return CouponOutcome.merge(couponId, outcomes);
    }

    /**
     * Rejects the request a poison record carries, when its id can be read, before the error
     * handler dead-letters the record: durable in PostgreSQL like every decision, then in Redis.
     * The user is the one Redis admitted (the record's own may be what is broken).
     */
    private void rejectPoison(PoisonRecord poison, ConsumerRecord<String, IssueRequested> record) {
        RequestId requestId = poison.requestId();
        if (requestId == null) {
            return;
        }
        RequestView admitted = finalizer.admitted(requestId).orElse(null);
        long userId = admitted != null ? admitted.userId() : poison.userId();
        if (userId <= 0) {
            traces.within(record, () -> log.warn("Request {} cannot be rejected: neither Redis nor the record names "
                    + "its user", requestId));
            return;
        }
        Instant requestedAt = admitted != null && admitted.requestedAt() != null ? admitted.requestedAt()
                : clock.instant();
        IssueRequested request = new IssueRequested(requestId.toString(), requestId.couponId(), userId, null, null,
                requestedAt);
        CouponOutcome outcome = issuer.reject(requestId.couponId(), request, ErrorCode.VALIDATION_FAILED);
        metrics.committed(outcome, clock.instant());
        finalizer.finalizeCommitted(outcome);
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
