package io.rushcoupon.worker.reconcile;

import java.time.Clock;

import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.issue.IssueRequestSettings;

/** Schedules the reconciler's rounds, unless {@code rushcoupon.worker.reconciler.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "rushcoupon.worker.reconciler.enabled", matchIfMissing = true)
@EnableScheduling
class ReconcilerConfiguration {

    @Bean
    Reconciler reconciler(RedissonClient redisson, CouponRedis couponRedis, ReconcilerStore store,
            KafkaTemplate<String, Object> kafka, ReconcilerProperties properties, IssueRequestSettings issue,
            MeterRegistry registry, Clock clock) {
        return new Reconciler(redisson, couponRedis, store, kafka, properties, issue, registry, clock);
    }

    @Bean
    SchedulingConfigurer reconcilerSchedule(Reconciler reconciler, ReconcilerProperties properties) {
        return registrar -> registrar.addFixedDelayTask(
                new FixedDelayTask(reconciler::round, properties.interval(), properties.interval()));
    }
}
