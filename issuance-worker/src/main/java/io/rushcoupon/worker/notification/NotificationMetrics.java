package io.rushcoupon.worker.notification;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.worker.notification.NotificationStore.Backlog;

/** The dispatcher's meters: outcomes, and the outbox's backlog as the last look found it. */
class NotificationMetrics {

    enum Outcome { SENT, RETRIED, FAILED, LOGGED }

    private final Map<Outcome, Counter> outcomes;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    NotificationMetrics(MeterRegistry registry) {
        Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder(MetricNames.NOTIFICATIONS)
                    .description("Notifications the dispatcher handled, by outcome")
                    .tag(MetricNames.OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        this.outcomes = counters;
        Gauge.builder(MetricNames.NOTIFICATIONS_PENDING, pending, AtomicLong::get)
                .description("Notifications pending in the outbox").register(registry);
        Gauge.builder(MetricNames.NOTIFICATIONS_OLDEST_AGE, oldestAgeMillis, age -> age.get() / 1000.0)
                .description("Age of the oldest pending notification").baseUnit("seconds").register(registry);
    }

    void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void backlog(Backlog backlog) {
        pending.set(backlog.pending());
        oldestAgeMillis.set(Math.round(backlog.oldestAgeSeconds() * 1000));
    }
}
