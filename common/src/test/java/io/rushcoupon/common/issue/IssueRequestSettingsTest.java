package io.rushcoupon.common.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class IssueRequestSettingsTest {

    @Test
    void defaultsToADayWhenNothingIsConfigured() {
        assertThat(new IssueRequestSettings(null).requestTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(IssueRequestSettings.defaults().requestTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void acceptsOneSecond() {
        assertThat(new IssueRequestSettings(Duration.ofSeconds(1)).requestTtl()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesLessThanOneSecondNamingTheProperty() {
        for (Duration tooShort : new Duration[] {Duration.ofMillis(999), Duration.ZERO, Duration.ofSeconds(-5)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new IssueRequestSettings(tooShort))
                    .withMessageContaining("rushcoupon.issue.request-ttl must be at least 1s");
        }
    }
}
