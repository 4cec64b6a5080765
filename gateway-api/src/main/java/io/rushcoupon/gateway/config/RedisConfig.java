package io.rushcoupon.gateway.config;

import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.ConstantDelay;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.rushcoupon.common.redis.RedisClusterClient;
import io.rushcoupon.common.redis.CouponRedis;

/**
 * Redis for the rush path. The Redisson starter builds the client from {@code spring.data.redis.*}
 * (host, port, database, {@code timeout} and {@code connect-timeout}, both short in application.yml);
 * this adds what the starter does not read.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfig {

    @Bean
    CouponRedis couponRedis(RedissonClient redisson) {
        return new CouponRedis(redisson);
    }

    /**
     * Fail fast instead of queueing. Redisson gives each attempt the retry delay to get a connection
     * and write the command, then {@code timeout} (1 s) for the reply, and retries a few times: with
     * 3 retries 400 ms apart a refused connection turns into a 503 within about 2 s. Shorter proved
     * too tight on 2 cores: in a cold-start burst, commands waiting for a busy event loop failed as
     * "not written" (200 ms with 2 retries gave a few 503s in the system test's 8,000-request rush). Lazy
     * initialization lets the gateway start, and report liveness, while Redis is down. The script
     * cache sends the coupon scripts as EVALSHA instead of their whole source on every request. On a
     * Redis Cluster every read goes to the masters and the topology is read every second
     * ({@link RedisClusterClient}).
     *
     * <p>Redisson also retries a command whose reply timed out. For the pre-check script that means
     * it may run twice; the second run finds the user already admitted with this very request id
     * and answers it as the acceptance it is (issue-precheck.lua). The user lock's lease covers
     * these retries ({@link RedisCommandTime}).
     */
    @Bean
    RedissonAutoConfigurationCustomizer failFastRedisson(GatewayProperties settings) {
        return config -> {
            config.setLazyInitialization(true);
            config.setUseScriptCache(true);
            RedisClusterClient.configure(config);
            BaseConfig<?> servers = RedisCommandTime.servers(config);
            if (servers != null) {
                servers.setRetryAttempts(settings.redisRetryAttempts());
                servers.setRetryDelay(new ConstantDelay(settings.redisRetryDelay()));
            }
        };
    }
}
