package io.rushcoupon.worker.issuance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Pauses before a failed batch is delivered again, growing while the failure lasts and never
 * giving up: a batch that fails because PostgreSQL is down must wait, not be dead-lettered.
 * One sequence per consumer thread, since each listener container owns one.
 */
@Component
class RedeliveryBackOff {

    private final ExponentialBackOff backOff;
    private final Map<Thread, BackOffExecution> running = new ConcurrentHashMap<>();

    RedeliveryBackOff(IssuanceProperties properties) {
        IssuanceProperties.TransientRetry retry = properties.transientRetry();
        this.backOff = new ExponentialBackOff(retry.initialBackoff().toMillis(), 2.0);
        this.backOff.setMaxInterval(retry.maxBackoff().toMillis());
    }

    Duration next() {
        long millis = running.computeIfAbsent(Thread.currentThread(), thread -> backOff.start()).nextBackOff();
        return Duration.ofMillis(millis == BackOffExecution.STOP ? backOff.getMaxInterval() : millis);
    }

    void reset() {
        running.remove(Thread.currentThread());
    }
}
