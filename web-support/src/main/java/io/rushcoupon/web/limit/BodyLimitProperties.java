package io.rushcoupon.web.limit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body the services read ({@code rushcoupon.web.*}). The largest legitimate
 * body, an admin's coupon, is well under 2 KB; the limit keeps a hostile one from being parsed.
 *
 * @param maxBodySize larger bodies are refused with 413 PAYLOAD_TOO_LARGE before any parsing
 *                    ({@code RUSHCOUPON_WEB_MAX_BODY_SIZE})
 */
@ConfigurationProperties("rushcoupon.web")
public record BodyLimitProperties(@DefaultValue("64KB") DataSize maxBodySize) {

    public BodyLimitProperties {
        if (maxBodySize.toBytes() <= 0) {
            throw new IllegalArgumentException("rushcoupon.web.max-body-size must be positive");
        }
    }
}
