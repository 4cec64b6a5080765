package io.rushcoupon.worker.reconcile;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
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
import io.rushcoupon.common.restore.CouponRecords;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.worker.notification.Notifications;

/**
 * The reconciler's jobs and the one place they are scheduled: the leader's round, unless
 * {@code rushcoupon.worker.reconciler.enabled=false}, and the pending gauges in every instance.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ReconcilerConfiguration {

    @Bean
    CouponRecords couponRecords(DataSource dataSource) {
        return new CouponRecords(dataSource);
    }

    @Bean
    CouponStateRestorer couponStateRestorer(CouponRecords couponRecords, CouponRedis couponRedis,
            IssueRequestSettings issue) {
        return new CouponStateRestorer(couponRecords, couponRedis, issue.requestTtl(),
                CouponStateRestorer.DEFAULT_PAGE_SIZE);
    }

    /**
     * The jobs in the order a round runs them: state back first, so the later ones find it; the
     * window announcements last, as they repair nothing.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "rushcoupon.worker.reconciler.enabled", matchIfMissing = true)
    ReconcilerRound reconcilerRound(RedissonClient redisson, CouponRedis couponRedis, CouponRecords couponRecords,
            CouponScan scan, CouponStateRestorer restorer, KafkaTemplate<String, Object> kafka,
            ReconcilerProperties properties, IssueRequestSettings issue, MeterRegistry registry, Clock clock,
            Notifications notifications) {
        CouponRebuilds rebuilds = new CouponRebuilds(restorer, registry, notifications);
        return new ReconcilerRound(new ReconcilerLeadership(redisson, properties), couponRedis, couponRecords, scan,
                properties, clock, List.of(
                        new MissingStateRestoration(couponRedis, rebuilds),
                        new SettingsRepublication(couponRedis, couponRecords),
                        new StalePendingRequests(couponRedis, couponRecords, kafka, properties, issue, registry),
                        new StockDriftRepair(couponRedis, couponRecords, rebuilds),
                        new WindowAnnouncements(notifications, clock)));
    }

    @Bean
    SchedulingConfigurer reconcilerSchedule(ObjectProvider<ReconcilerRound> round, PendingRequestsGauge gauge,
            ReconcilerProperties properties, PendingGaugeProperties gaugeProperties) {
        return registrar -> {
            round.ifAvailable(leaderRound -> registrar.addFixedDelayTask(
                    new FixedDelayTask(leaderRound::run, properties.interval(), properties.interval())));
            registrar.addFixedDelayTask(gauge::refresh, gaugeProperties.refresh());
        };
    }
}
