package io.rushcoupon.gateway.issue;

import java.util.EnumMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rushcoupon.common.metrics.MetricNames;

/** The rush path's meters, registered once so the hot path only increments and records. */
@Component
class IssueMetrics {

    private final Map<IssueOutcome, Counter> requests = new EnumMap<>(IssueOutcome.class);
    private final Timer precheck;
    private final Counter compensations;

    IssueMetrics(MeterRegistry registry) {
        for (IssueOutcome outcome : IssueOutcome.values()) {
            requests.put(outcome, Counter.builder(MetricNames.ISSUE_REQUESTS)
                    .description("Issue requests answered by the gateway, by outcome")
                    .tag(MetricNames.OUTCOME, outcome.tag())
                    .register(registry));
        }
        this.precheck = Timer.builder(MetricNames.PRECHECK)
                .description("The Lua pre-check round trip")
                .register(registry);
        this.compensations = Counter.builder(MetricNames.COMPENSATIONS)
                .description("Admitted requests undone because Kafka definitely did not take them")
                .register(registry);
    }

    void answered(IssueOutcome outcome) {
        requests.get(outcome).increment();
    }

    Timer precheck() {
        return precheck;
    }

    void compensated() {
        compensations.increment();
    }
}
