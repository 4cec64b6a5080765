package io.rushcoupon.gateway.issue;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's cache of sold-out and ended coupons ({@code rushcoupon.gateway.terminal-cache.*},
 * {@link TerminalCoupons}): after a sell-out most clicks are refusals, answered without Redis.
 *
 * @param trust    how long a cached terminal state is used without asking Redis again; the bound
 *                 on a refusal that is out of date when an invalidation was lost (a pub/sub
 *                 disconnect), since every change that can reopen admission also invalidates at once
 *                 ({@code RUSHCOUPON_GATEWAY_TERMINAL_CACHE_TRUST})
 * @param maxUsers users with a request a coupon may have and still be cached (their ids are kept,
 *                 since they must be told DUPLICATE_REQUEST by Redis); 0 turns the cache off
 *                 ({@code RUSHCOUPON_GATEWAY_TERMINAL_CACHE_MAX_USERS})
 */
@ConfigurationProperties("rushcoupon.gateway.terminal-cache")
@Validated
public record TerminalCacheProperties(
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration trust,
        @DefaultValue("200000") @PositiveOrZero int maxUsers) {
}
