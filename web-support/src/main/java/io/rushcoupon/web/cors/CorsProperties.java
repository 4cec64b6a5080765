package io.rushcoupon.web.cors;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser origins may call the APIs from script ({@code rushcoupon.cors.*}). Closed by
 * default: with no origins listed, no answer carries {@code Access-Control-Allow-Origin}, so a
 * browser refuses cross-origin calls (same-origin pages behind the same host still work).
 *
 * <p>The wildcard rule stays in the constructor rather than a Bean Validation constraint: it is
 * checked after the list is trimmed, and no code path may build a policy from {@code *}.
 *
 * @param allowedOrigins exact origins such as {@code https://shop.example.com}
 *                       ({@code RUSHCOUPON_CORS_ALLOWED_ORIGINS}, comma-separated)
 * @param maxAge         how long a browser may cache a preflight's answer
 */
@ConfigurationProperties("rushcoupon.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
        if (allowedOrigins.contains("*")) {
            // "*" would let any site script the APIs; name the origins instead
            throw new IllegalArgumentException("rushcoupon.cors.allowed-origins must list origins, not *");
        }
    }
}
