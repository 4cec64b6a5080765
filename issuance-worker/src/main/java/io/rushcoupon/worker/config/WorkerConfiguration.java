package io.rushcoupon.worker.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.redisson.api.RedissonClient;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.redis.RedisClusterClient;
import io.rushcoupon.common.redis.CouponRedis;

/**
 * Beans both the issuance listener and the reconciler use. Scheduling is on even without the
 * reconciler: the pending-request gauges refresh on a schedule in every instance.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class WorkerConfiguration {

    @Bean
    CouponRedis couponRedis(RedissonClient redisson) {
        return new CouponRedis(redisson);
    }

    /** On a Redis Cluster: reads from the masters, never a lagging replica; topology every second ({@link RedisClusterClient}). */
    @Bean
    RedissonAutoConfigurationCustomizer clusterReadsFromMasters() {
        return RedisClusterClient::configure;
    }

    /** {@code rushcoupon.issue.*}, shared with the gateway and checked in the record itself. */
    @Bean
    IssueRequestSettings issueRequestSettings(Environment environment) {
        return Binder.get(environment).bindOrCreate(IssueRequestSettings.PREFIX, IssueRequestSettings.class);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The one producer of the worker writes two kinds of values: IssueRequested as JSON without
     * type headers (the shared wire format; the reconciler re-sends with it, and invalid events go
     * to the dead-letter topic with it) and raw bytes (records that could not be read at all go to
     * the dead-letter topic as they came).
     */
    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer issueEventSerializers() {
        return factory -> {
            var typed = (DefaultKafkaProducerFactory<String, Object>) factory;
            Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
            byType.put(IssueRequested.class, new JacksonJsonSerializer<IssueRequested>().noTypeInfo());
            byType.put(byte[].class, new ByteArraySerializer());
            typed.setKeySerializer(new StringSerializer());
            typed.setValueSerializer(new DelegatingByTypeSerializer(byType));
        };
    }
}
