package io.rushcoupon.gateway.ratelimit;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-user rate limit on issue requests ({@code rushcoupon.gateway.rate-limit.*}): at most
 * {@code requests} per user and coupon within a fixed {@code window} that starts with the user's
 * first request; beyond that 429 RATE_LIMITED with {@code Retry-After}. Counted in Redis, inside
 * the admission script the gateway runs anyway (once per click, not per lock retry), so it holds across gateway instances and costs
 * no round trip of its own. The defaults never bother a person (a double click is two requests);
 * they stop scripts that hammer one coupon.
 *
 * @param requests requests a user may send for one coupon per window ({@code RUSHCOUPON_GATEWAY_RATE_LIMIT_REQUESTS})
 * @param window   the window's length, at least 1 ms ({@code RUSHCOUPON_GATEWAY_RATE_LIMIT_WINDOW})
 */
@ConfigurationProperties("rushcoupon.gateway.rate-limit")
@Validated
public record RateLimitProperties(
        @DefaultValue("10") @Positive int requests,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration window) {
}
