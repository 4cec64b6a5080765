package io.rushcoupon.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the rush path ({@code rushcoupon.gateway.*}). The defaults keep a request's worst case
 * short: a gateway thread waits for Redis and Kafka only for bounded, small amounts of time.
 *
 * @param lockWait              how long a request waits for its user's lock before answering BUSY
 * @param lockLease             how long a user's lock lives if the gateway never releases it (crash,
 *                              Redis timeout on unlock); must outlast a request's worst case
 * @param busyRetryAfter        {@code Retry-After} of a BUSY answer
 * @param sendTimeout           how long a request waits for Kafka to acknowledge its event, counted
 *                              from the start of the send; after that the outcome is ambiguous
 * @param unavailableRetryAfter {@code Retry-After} of an UNAVAILABLE answer (Redis or Kafka down)
 * @param redisRetryAttempts    how often Redisson retries a command that failed or timed out; few,
 *                              so threads do not pile up while Redis is away
 * @param redisRetryDelay       pause between those retries
 */
@ConfigurationProperties("rushcoupon.gateway")
public record GatewayProperties(
        @DefaultValue("100ms") Duration lockWait,
        @DefaultValue("5s") Duration lockLease,
        @DefaultValue("1s") Duration busyRetryAfter,
        @DefaultValue("2s") Duration sendTimeout,
        @DefaultValue("2s") Duration unavailableRetryAfter,
        @DefaultValue("3") int redisRetryAttempts,
        @DefaultValue("400ms") Duration redisRetryDelay) {

    public GatewayProperties {
        requirePositive("lock-wait", lockWait);
        requirePositive("send-timeout", sendTimeout);
        requirePositive("busy-retry-after", busyRetryAfter);
        requirePositive("unavailable-retry-after", unavailableRetryAfter);
        // a lease that ends while its request is still sending would let the user's next click in
        if (lockLease.compareTo(lockWait.plus(sendTimeout)) <= 0) {
            throw new IllegalArgumentException("rushcoupon.gateway.lock-lease must be longer than lock-wait + send-timeout");
        }
        if (redisRetryAttempts < 0) {
            throw new IllegalArgumentException("rushcoupon.gateway.redis-retry-attempts must not be negative");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("rushcoupon.gateway." + name + " must be positive");
        }
    }
}
