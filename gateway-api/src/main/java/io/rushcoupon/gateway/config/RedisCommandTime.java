package io.rushcoupon.gateway.config;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.DelayStrategy;

/**
 * How long one Redis command can keep its caller waiting, from Redisson's own settings
 * ({@code spring.data.redis.timeout}, {@code rushcoupon.gateway.redis-retry-attempts} and
 * {@code -delay}). Redisson makes the first attempt and up to {@code retryAttempts} more; each may
 * take up to its retry delay to be written and the reply timeout to be answered, and a timed-out
 * attempt waits its retry delay before the next one.
 *
 * @param replyTimeout  how long one attempt waits for Redis's reply
 * @param retryAttempts attempts after the first
 * @param retryDelay    the pause (and write window) of each attempt
 */
public record RedisCommandTime(Duration replyTimeout, int retryAttempts, DelayStrategy retryDelay) {

    /**
     * @throws IllegalStateException for a server mode this gateway does not configure (replicated or
     *                               master/slave from a Redisson YAML file)
     */
    public static RedisCommandTime of(Config config) {
        BaseConfig<?> servers = servers(config);
        if (servers == null) {
            throw new IllegalStateException("Redisson is configured for a server mode the gateway cannot read "
                    + "timeouts from; use spring.data.redis.* (single, sentinel or cluster)");
        }
        return new RedisCommandTime(Duration.ofMillis(servers.getTimeout()), servers.getRetryAttempts(),
                servers.getRetryDelay());
    }

    /** The longest a command can take before Redisson gives up on it. */
    public Duration worstCase() {
        Duration total = Duration.ZERO;
        for (int attempt = 0; attempt <= retryAttempts; attempt++) {
            total = total.plus(replyTimeout).plus(retryDelay.calcDelay(attempt).multipliedBy(2));
        }
        return total;
    }

    /** The server settings in use; {@code null} for modes configured entirely by a Redisson YAML file. */
    static @Nullable BaseConfig<?> servers(Config config) {
        if (config.isClusterConfig()) {
            return config.useClusterServers();
        }
        if (config.isSentinelConfig()) {
            return config.useSentinelServers();
        }
        if (config.isSingleConfig()) {
            return config.useSingleServer();
        }
        return null;
    }
}
