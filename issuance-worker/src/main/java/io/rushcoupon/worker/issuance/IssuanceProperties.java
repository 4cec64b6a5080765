package io.rushcoupon.worker.issuance;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker consumes issue requests.
 *
 * @param partitions     partitions of the issue-request topic when the worker creates it; bounds
 *                       how many consumers can share the load
 * @param replication    replication factor of the topics it creates (3 in production)
 * @param concurrency    listener threads of this instance; keep at or below the CPU count, as
 *                       each is a platform thread holding one database connection at a time
 * @param versionRetry   retries of one coupon's transaction after an optimistic version conflict
 * @param transientRetry back-off while a dependency (PostgreSQL) is down; retried without limit
 */
@ConfigurationProperties("rushcoupon.worker")
@Validated
record IssuanceProperties(
        @DefaultValue("8") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) @Max(Short.MAX_VALUE) int replication,
        @DefaultValue("2") @Min(1) int concurrency,
        @DefaultValue @Valid VersionRetry versionRetry,
        @DefaultValue @Valid TransientRetry transientRetry) {

    /**
     * @param attempts       transaction attempts per coupon group before the whole batch is retried
     * @param initialBackoff pause before the first retry; doubles per attempt, with jitter
     * @param maxBackoff     longest pause between two attempts
     */
    record VersionRetry(
            @DefaultValue("5") @Min(1) int attempts,
            @DefaultValue("10ms") @NotNull Duration initialBackoff,
            @DefaultValue("200ms") @NotNull Duration maxBackoff) {
    }

    /**
     * @param initialBackoff pause before a failed batch is delivered again; doubles per failure.
     *                       A paused consumer notices the end of the pause on its next poll, so
     *                       spring.kafka.listener.poll-timeout is the resolution
     * @param maxBackoff     longest pause between two deliveries while the failure lasts
     */
    record TransientRetry(
            @DefaultValue("500ms") @NotNull Duration initialBackoff,
            @DefaultValue("5s") @NotNull Duration maxBackoff) {
    }
}
