package io.rushcoupon.gateway.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the rush path ({@code rushcoupon.gateway.*}). The defaults keep a request's worst case
 * short: a gateway thread waits for Redis and Kafka only for bounded, small amounts of time.
 * Virtual threads put no bound on concurrent requests, so without {@code maxInFlight} an overload
 * would queue requests on Redis and Kafka until every one of them is slow; past it the gateway
 * answers at once instead.
 *
 * @param lockWait              how long a request waits for its user's lock before answering BUSY.
 *                              The lock's lease (how long it outlives a holder that never releases
 *                              it: crash, failed unlock) is no setting: it is derived from this, the
 *                              send timeout and Redis's retries, so it cannot end while its holder
 *                              still waits for Redis or Kafka ({@code UserLocks})
 * @param busyRetryAfter        {@code Retry-After} of a BUSY answer
 * @param sendTimeout           how long a request waits for Kafka to acknowledge its event, counted
 *                              from the start of the send; after that the outcome is ambiguous
 * @param unavailableRetryAfter {@code Retry-After} of an UNAVAILABLE answer (Redis or Kafka down)
 * @param redisRetryAttempts    how often Redisson retries a command that failed or timed out; few,
 *                              so threads do not pile up while Redis is away
 * @param redisRetryDelay       pause between those retries
 * @param maxInFlight           issue requests processed at once; more are answered 503 OVERLOADED
 *                              immediately ({@code RUSHCOUPON_GATEWAY_MAX_IN_FLIGHT})
 * @param overloadedRetryAfter  {@code Retry-After} of an OVERLOADED answer
 *                              ({@code RUSHCOUPON_GATEWAY_OVERLOADED_RETRY_AFTER})
 */
@ConfigurationProperties("rushcoupon.gateway")
@Validated
public record GatewayProperties(
        @DefaultValue("100ms") @NotNull @DurationMin(millis = 1) Duration lockWait,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration busyRetryAfter,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration sendTimeout,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration unavailableRetryAfter,
        @DefaultValue("3") @PositiveOrZero int redisRetryAttempts,
        @DefaultValue("400ms") @NotNull Duration redisRetryDelay,
        @DefaultValue("512") @Positive int maxInFlight,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration overloadedRetryAfter) {
}
