package io.rushcoupon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/** web-support's settings as a service binds them at start-up: defaults, and what it refuses to start with. */
class WebSupportSettingsTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-bytes-length";

    private final WebApplicationContextRunner context = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebSupportAutoConfiguration.class));

    @Test
    void startsWithASecretAndTheDefaults() {
        context.withPropertyValues("rushcoupon.jwt.secret=" + SECRET).run(started -> {
            assertThat(started).hasNotFailed();
            WebProperties web = started.getBean(WebProperties.class);
            assertThat(web.maxBodySize()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(web.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void startsWithAnIdentityProvidersKeysWhenIssuerAndAudienceAreSet() {
        context.withPropertyValues("rushcoupon.jwt.jwk-set-uri=https://id.rushcoupon.test/jwks",
                "rushcoupon.jwt.issuer=https://id.rushcoupon.test", "rushcoupon.jwt.audience=rushcoupon-api")
                .run(started -> assertThat(started).hasNotFailed());
    }

    /**
     * An identity provider signs tokens for many applications: without issuer and audience, any
     * token it issued to anyone would be good here (finding 13 of issue #12).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rushcoupon.jwt.audience=rushcoupon-api                 | rushcoupon.jwt.issuer
            rushcoupon.jwt.issuer=https://id.rushcoupon.test       | rushcoupon.jwt.audience
            rushcoupon.jwt.issuer=                                 | rushcoupon.jwt.issuer
            """)
    void refusesToStartWithAnIdentityProvidersKeysWithoutIssuerAndAudience(String setting, String missing) {
        context.withPropertyValues("rushcoupon.jwt.jwk-set-uri=https://id.rushcoupon.test/jwks", setting).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).hasStackTraceContaining(missing + " is required with rushcoupon.jwt.jwk-set-uri");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rushcoupon.jwt.issuer=x                                      | rushcoupon.jwt  | set exactly one of rushcoupon.jwt.secret
            rushcoupon.jwt.secret=short                                  | rushcoupon.jwt  | rushcoupon.jwt.secret must be at least 32 bytes
            rushcoupon.jwt.jwk-set-uri=https://id.rushcoupon.test/jwks   | rushcoupon.jwt  | set exactly one of rushcoupon.jwt.secret
            rushcoupon.web.max-body-size=0B                              | rushcoupon.web  | rushcoupon.web.max-body-size must be at least 1 byte
            rushcoupon.web.retry-after=0s                                | rushcoupon.web  | retryAfter
            rushcoupon.cors.allowed-origins=*                            | rushcoupon.cors | rushcoupon.cors.allowed-origins must list origins
            """)
    void refusesToStartWithASettingOutOfRange(String setting, String prefix, String named) {
        // with a valid secret beside it unless the setting is about the key itself
        String secret = setting.startsWith("rushcoupon.jwt.") ? "rushcoupon.jwt.audience=" : "rushcoupon.jwt.secret=" + SECRET;
        if (setting.startsWith("rushcoupon.jwt.jwk-set-uri")) {
            secret = "rushcoupon.jwt.secret=" + SECRET;
        }
        context.withPropertyValues(secret, setting).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).hasStackTraceContaining(prefix).hasStackTraceContaining(named);
        });
    }
}
