package io.rushcoupon.web.cors;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The CORS rules both services' security chains apply ({@code http.cors(withDefaults())} picks up
 * the {@link CorsConfigurationSource} bean). Bearer tokens travel in a header, never in cookies,
 * so credentials stay off; the headers the APIs need (Authorization, If-Match) are allowed and the
 * ones clients read (Location, ETag, Retry-After) exposed.
 */
public final class CorsPolicy {

    private CorsPolicy() {
    }

    public static CorsConfigurationSource from(CorsProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (properties.allowedOrigins().isEmpty()) {
            // nothing registered: no CORS headers at all, the browser's same-origin policy stands
            return source;
        }
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOrigins(properties.allowedOrigins());
        api.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE"));
        api.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.IF_MATCH,
                HttpHeaders.ACCEPT));
        api.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER));
        api.setAllowCredentials(false);
        api.setMaxAge(properties.maxAge());
        source.registerCorsConfiguration("/api/**", api);
        return source;
    }
}
