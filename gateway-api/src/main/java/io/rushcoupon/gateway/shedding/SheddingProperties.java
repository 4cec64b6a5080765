package io.rushcoupon.gateway.shedding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Load shedding on the issue endpoint ({@code rushcoupon.gateway.*}, beside the other gateway
 * settings). Virtual threads put no bound on concurrent requests, so without one an overload
 * queues requests on Redis and Kafka until every one of them is slow; past the bound the gateway
 * answers at once instead.
 *
 * @param maxInFlight          issue requests processed at once; more are answered 503 OVERLOADED
 *                             immediately ({@code RUSHCOUPON_GATEWAY_MAX_IN_FLIGHT})
 * @param overloadedRetryAfter {@code Retry-After} of an OVERLOADED answer
 *                             ({@code RUSHCOUPON_GATEWAY_OVERLOADED_RETRY_AFTER})
 */
@ConfigurationProperties("rushcoupon.gateway")
public record SheddingProperties(@DefaultValue("512") int maxInFlight, @DefaultValue("1s") Duration overloadedRetryAfter) {

    public SheddingProperties {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("rushcoupon.gateway.max-in-flight must be at least 1");
        }
        if (overloadedRetryAfter.toMillis() < 1) {
            throw new IllegalArgumentException("rushcoupon.gateway.overloaded-retry-after must be positive");
        }
    }
}
