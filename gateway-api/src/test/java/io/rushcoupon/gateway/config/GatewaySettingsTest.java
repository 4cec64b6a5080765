package io.rushcoupon.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.gateway.ratelimit.RateLimitProperties;

/** The gateway's settings as Spring binds them at start-up: defaults, and what it refuses to start with. */
class GatewaySettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void startsWithTheDocumentedDefaults() {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            GatewayProperties gateway = started.getBean(GatewayProperties.class);
            assertThat(gateway.lockWait()).isEqualTo(Duration.ofMillis(100));
            assertThat(gateway.maxInFlight()).isEqualTo(512);
            assertThat(gateway.overloadedRetryAfter()).isEqualTo(Duration.ofSeconds(1));
            assertThat(started.getBean(RateLimitProperties.class).requests()).isEqualTo(10);
            assertThat(started.getBean(IssueRequestSettings.class).requestTtl()).isEqualTo(Duration.ofHours(24));
        });
    }

    @Test
    void takesTheDocumentedEnvironmentNamesOfTheShedder() {
        context.withInitializer(started -> started.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("RUSHCOUPON_GATEWAY_MAX_IN_FLIGHT", "7",
                                        "RUSHCOUPON_GATEWAY_OVERLOADED_RETRY_AFTER", "3s",
                                        "RUSHCOUPON_ISSUE_REQUEST_TTL", "1s"))))
                .run(started -> {
                    GatewayProperties gateway = started.getBean(GatewayProperties.class);
                    assertThat(gateway.maxInFlight()).isEqualTo(7);
                    assertThat(gateway.overloadedRetryAfter()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(started.getBean(IssueRequestSettings.class).requestTtl()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rushcoupon.issue.request-ttl=500ms          | rushcoupon.issue.request-ttl must be at least 1s
            rushcoupon.issue.request-ttl=0s             | rushcoupon.issue.request-ttl must be at least 1s
            rushcoupon.gateway.lock-wait=0ms            | lockWait
            rushcoupon.gateway.send-timeout=-1s         | sendTimeout
            rushcoupon.gateway.busy-retry-after=0s      | busyRetryAfter
            rushcoupon.gateway.unavailable-retry-after=0s | unavailableRetryAfter
            rushcoupon.gateway.redis-retry-attempts=-1  | redisRetryAttempts
            rushcoupon.gateway.max-in-flight=0          | maxInFlight
            rushcoupon.gateway.overloaded-retry-after=0s | overloadedRetryAfter
            rushcoupon.gateway.rate-limit.requests=0    | requests
            rushcoupon.gateway.rate-limit.window=0ms    | window
            """)
    void refusesToStartWithASettingOutOfRange(String setting, String named) {
        context.withPropertyValues(setting).run(started -> {
            assertThat(started).hasFailed();
            String prefix = setting.substring(0, setting.lastIndexOf('.'));
            assertThat(started.getStartupFailure()).hasStackTraceContaining(prefix).hasStackTraceContaining(named);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({GatewayProperties.class, RateLimitProperties.class})
    @Import(IssueSettingsConfig.class)
    static class Settings {
    }
}
