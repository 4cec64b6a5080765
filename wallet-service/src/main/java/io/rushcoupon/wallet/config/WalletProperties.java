package io.rushcoupon.wallet.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The wallet's settings ({@code rushcoupon.wallet.*}).
 *
 * @param idempotency how long redemption keys are kept and how long a first request holds its key
 * @param expiry      the expiry job's pace
 */
@ConfigurationProperties("rushcoupon.wallet")
@Validated
public record WalletProperties(@Valid @NotNull Idempotency idempotency, @Valid @NotNull Expiry expiry) {

    /**
     * @param retention      how long an {@code Idempotency-Key} and its answer are kept; at least 24 h
     * @param lease          how long a key stays IN_PROGRESS for its first request; past it a retry takes
     *                       the key over (the first request's service died before it committed)
     * @param purgeBatchSize keys deleted per statement by the retention purge
     */
    public record Idempotency(@NotNull Duration retention, @NotNull Duration lease,
            @Min(1) @Max(100_000) int purgeBatchSize) {

        @AssertTrue(message = "rushcoupon.wallet.idempotency.retention must be at least 24h")
        public boolean isRetentionAtLeastADay() {
            return retention == null || retention.compareTo(Duration.ofHours(24)) >= 0;
        }

        @AssertTrue(message = "rushcoupon.wallet.idempotency.lease must be between 1s and 10m")
        public boolean isLeaseSensible() {
            return lease == null || (lease.compareTo(Duration.ofSeconds(1)) >= 0 && lease.compareTo(Duration.ofMinutes(10)) <= 0);
        }
    }

    /**
     * @param interval         time between two runs of the expiry job
     * @param batchSize        coupons marked EXPIRED per transaction
     * @param maxBatchesPerRun batches per run at most, so one run stays short; the next run goes on
     */
    public record Expiry(@NotNull Duration interval, @Min(1) @Max(10_000) int batchSize,
            @Min(1) @Max(10_000) int maxBatchesPerRun) {
    }
}
