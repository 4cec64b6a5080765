package io.rushcoupon.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/** The worker binds {@code rushcoupon.issue.*} to the record the gateway binds, with the same rule. */
class IssueSettingsTest {

    @Test
    void keepsRequestStatusesADayByDefault() {
        assertThat(new WorkerConfiguration().issueRequestSettings(new MockEnvironment()).requestTtl())
                .isEqualTo(Duration.ofHours(24));
    }

    @Test
    void takesTheEnvironmentName() {
        MockEnvironment environment = new MockEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("RUSHCOUPON_ISSUE_REQUEST_TTL", "90s")));

        assertThat(new WorkerConfiguration().issueRequestSettings(environment).requestTtl())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void refusesToStartWithATtlUnderOneSecond() {
        // EXPIRE key 0 would delete the status the moment the worker decides it
        MockEnvironment environment = new MockEnvironment().withProperty("rushcoupon.issue.request-ttl", "500ms");

        assertThatThrownBy(() -> new WorkerConfiguration().issueRequestSettings(environment))
                .hasStackTraceContaining("rushcoupon.issue.request-ttl must be at least 1s");
    }
}
