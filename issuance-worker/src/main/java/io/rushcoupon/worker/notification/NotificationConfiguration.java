package io.rushcoupon.worker.notification;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/** The dispatcher, in every instance unless {@code rushcoupon.discord.dispatcher.enabled=false}. */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "rushcoupon.discord.dispatcher.enabled", matchIfMissing = true)
    NotificationDispatcher notificationDispatcher(NotificationStore store, DiscordProperties properties,
            MeterRegistry registry, JsonMapper json, Clock clock) {
        return new NotificationDispatcher(store, new DiscordWebhookClient(properties.dispatcher()),
                new WebhookRateLimits(clock), properties, new NotificationMetrics(registry), json);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "rushcoupon.discord.dispatcher.enabled", matchIfMissing = true)
    SchedulingConfigurer notificationSchedule(NotificationDispatcher dispatcher, DiscordProperties properties) {
        return registrar -> registrar.addFixedDelayTask(new FixedDelayTask(dispatcher::run,
                properties.dispatcher().interval(), properties.dispatcher().interval()));
    }
}
