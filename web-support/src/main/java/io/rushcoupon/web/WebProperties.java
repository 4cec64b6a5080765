package io.rushcoupon.web;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What every HTTP service does the same way with requests and answers ({@code rushcoupon.web.*}).
 * The largest legitimate body, an admin's coupon, is well under 2 KB; the limit keeps a hostile
 * one from being parsed.
 *
 * @param maxBodySize larger bodies are refused with 413 PAYLOAD_TOO_LARGE before any parsing
 *                    ({@code RUSHCOUPON_WEB_MAX_BODY_SIZE}); at least 1 byte
 * @param retryAfter  {@code Retry-After} of a 429 or 503 answer that names none of its own
 *                    (e.g. the admin service's UNAVAILABLE while Redis is down); at least 1 ms,
 *                    sent rounded up to whole seconds ({@code RUSHCOUPON_WEB_RETRY_AFTER})
 */
@ConfigurationProperties("rushcoupon.web")
@Validated
public record WebProperties(
        @DefaultValue("64KB") @NotNull DataSize maxBodySize,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration retryAfter) {

    /** DataSize has no standard constraint; this is the same rule as an {@code @Positive}. */
    @AssertTrue(message = "rushcoupon.web.max-body-size must be at least 1 byte")
    public boolean isMaxBodySizePositive() {
        return maxBodySize == null || maxBodySize.toBytes() > 0;
    }
}
