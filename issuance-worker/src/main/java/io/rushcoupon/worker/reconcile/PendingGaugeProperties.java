package io.rushcoupon.worker.reconcile;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gauges of requests still pending in Redis ({@code rushcoupon.worker.pending-gauge.*}).
 *
 * @param refresh how often the pending sets are read; the age gauge is at most this stale
 */
@ConfigurationProperties("rushcoupon.worker.pending-gauge")
@Validated
record PendingGaugeProperties(@DefaultValue("10s") @NotNull Duration refresh) {
}
