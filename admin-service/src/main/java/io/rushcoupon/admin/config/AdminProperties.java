package io.rushcoupon.admin.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the admin service ({@code rushcoupon.admin.*}).
 *
 * @param gauge     the remaining-units gauge of open coupons
 * @param conflicts how state changes without {@code If-Match} ride out the worker's version bumps
 */
@ConfigurationProperties("rushcoupon.admin")
@Validated
public record AdminProperties(
        @DefaultValue @Valid Gauge gauge,
        @DefaultValue @Valid Conflicts conflicts) {

    /**
     * @param refresh    how often the gauge is refreshed from PostgreSQL
     * @param maxCoupons most open coupons the gauge reports at once, so the metric's cardinality
     *                   stays bounded however many coupons are open
     */
    public record Gauge(
            @DefaultValue("10s") @NotNull Duration refresh,
            @DefaultValue("200") @Min(1) @Max(10_000) int maxCoupons) {
    }

    /**
     * @param attempts how often pause, resume, close and delete try before answering 503, when
     *                 the worker keeps bumping the coupon's version while it issues
     * @param backoff  pause after the first failed attempt; grows linearly with each attempt
     */
    public record Conflicts(
            @DefaultValue("5") @Min(1) @Max(20) int attempts,
            @DefaultValue("20ms") @NotNull Duration backoff) {
    }
}
