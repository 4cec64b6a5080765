package io.rushcoupon.admin.config;

import java.time.Clock;

import org.redisson.api.RedissonClient;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.rushcoupon.common.redis.RedisClusterClient;
import io.rushcoupon.common.redis.CouponRedis;

/** Beans the features share: the typed Redis client of the coupon scripts and the clock. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AdminConfiguration {

    @Bean
    CouponRedis couponRedis(RedissonClient redisson) {
        return new CouponRedis(redisson);
    }

    /** On a Redis Cluster: reads from the masters, never a lagging replica; topology every second ({@link RedisClusterClient}). */
    @Bean
    RedissonAutoConfigurationCustomizer clusterReadsFromMasters() {
        return RedisClusterClient::configure;
    }

    /** Derived statuses depend on "now"; one clock keeps them comparable within a request. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
