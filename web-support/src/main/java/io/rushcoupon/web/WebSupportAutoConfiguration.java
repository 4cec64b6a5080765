package io.rushcoupon.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.cors.CorsConfigurationSource;

import io.rushcoupon.web.cors.CorsPolicy;
import io.rushcoupon.web.cors.CorsProperties;
import io.rushcoupon.web.limit.BodySizeLimitFilter;
import io.rushcoupon.web.problem.ProblemDetailsAdvice;
import io.rushcoupon.web.security.JwtProperties;
import io.rushcoupon.web.security.ProblemSecurityHandlers;
import io.rushcoupon.web.security.TokenDecoders;

/**
 * What every RushCoupon HTTP service shares: the bearer-token decoder from {@link JwtProperties},
 * 401/403 as problem details, {@link ProblemDetailsAdvice}, the CORS policy
 * ({@link CorsProperties}, closed by default) and the request body limit of {@link WebProperties}. Each service still
 * declares its own {@code SecurityFilterChain}, because which paths need which scope is its own
 * business; each chain enables {@code cors()}, which uses the {@link CorsConfigurationSource} here.
 */
// before WebMvcAutoConfiguration: with spring.mvc.problemdetails.enabled=true Boot registers its own
// ResponseEntityExceptionHandler unless one exists already, and it would answer without our codes
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@EnableConfigurationProperties({JwtProperties.class, CorsProperties.class, WebProperties.class})
@Import(ProblemDetailsAdvice.class)
public class WebSupportAutoConfiguration {

    /** Spring Security's filter chain runs at -100; the gateway's load shedder at -105. */
    static final int BODY_LIMIT_FILTER_ORDER = -110;

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(JwtProperties properties) {
        return TokenDecoders.from(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemSecurityHandlers problemSecurityHandlers() {
        return new ProblemSecurityHandlers();
    }

    /** The name Spring Security's {@code cors()} looks for. */
    @Bean
    @ConditionalOnMissingBean(name = "corsConfigurationSource")
    CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
        return CorsPolicy.from(properties);
    }

    /**
     * Before Spring Security's chain (order -100), so an oversized body is refused before any
     * token work; after the HTTP observation filter, so the 413 is still measured.
     */
    @Bean
    @ConditionalOnMissingBean(name = "bodySizeLimitFilter")
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(WebProperties properties) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.maxBodySize()));
        registration.setOrder(BODY_LIMIT_FILTER_ORDER);
        return registration;
    }
}
