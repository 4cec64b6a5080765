package io.rushcoupon.worker.issuance;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.metrics.MetricNames;

/** The worker's meters, recorded after the database commit so retries are not counted twice. */
@Component
class IssuanceMetrics {

    private final MeterRegistry registry;
    private final Counter issuances;
    /** The reasons the worker itself rejects with, registered up front so dashboards show zeros. */
    private final Map<ErrorCode, Counter> rejections = new EnumMap<>(ErrorCode.class);
    private final Timer endToEnd;
    private final DistributionSummary batchSize;
    private final Counter versionRetries;
    private final Counter deadLetters;

    IssuanceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.issuances = Counter.builder(MetricNames.ISSUANCES)
                .description("Issuance rows committed").register(registry);
        this.endToEnd = Timer.builder(MetricNames.END_TO_END)
                .description("From the gateway's acceptance to the database commit")
                .publishPercentileHistogram()
                .register(registry);
        this.batchSize = DistributionSummary.builder(MetricNames.BATCH_SIZE)
                .description("Records per listener batch")
                .publishPercentileHistogram()
                .register(registry);
        this.versionRetries = Counter.builder(MetricNames.VERSION_RETRIES)
                .description("Optimistic version conflicts on the coupon row that were retried").register(registry);
        this.deadLetters = Counter.builder(MetricNames.DEAD_LETTERS)
                .description("Records sent to the dead-letter topic").register(registry);
        for (ErrorCode reason : List.of(ErrorCode.SOLD_OUT, ErrorCode.DUPLICATE_REQUEST, ErrorCode.COUPON_NOT_FOUND,
                ErrorCode.ISSUANCE_ENDED, ErrorCode.VALIDATION_FAILED)) {
            rejections.put(reason, Counter.builder(MetricNames.REJECTIONS)
                    .description("Requests the worker rejected")
                    .tag(MetricNames.REASON, reason.name())
                    .register(registry));
        }
    }

    void batch(int records) {
        batchSize.record(records);
    }

    /** Counts a committed outcome; replays changed nothing and are left out. */
    void committed(CouponOutcome outcome, Instant committedAt) {
        issuances.increment(outcome.issued());
        for (IssueDecision decision : outcome.decisions()) {
            if (decision.replay()) {
                continue;
            }
            if (decision.status().status() == IssueStatus.REJECTED && decision.status().reason() != null) {
                rejected(decision.status().reason());
            }
            Instant requestedAt = decision.request().requestedAt();
            if (requestedAt != null && !committedAt.isBefore(requestedAt)) {
                endToEnd.record(Duration.between(requestedAt, committedAt));
            }
        }
    }

    private void rejected(ErrorCode reason) {
        Counter counter = rejections.get(reason);
        if (counter == null) {
            counter = Counter.builder(MetricNames.REJECTIONS).tag(MetricNames.REASON, reason.name()).register(registry);
        }
        counter.increment();
    }

    void versionRetry() {
        versionRetries.increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }
}
