package io.rushcoupon.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import io.rushcoupon.web.problem.ProblemDetailsAdvice;
import io.rushcoupon.web.security.JwtProperties;
import io.rushcoupon.web.security.ProblemSecurityHandlers;
import io.rushcoupon.web.security.TokenDecoders;

/**
 * What every RushCoupon HTTP service shares: the bearer-token decoder from {@link JwtProperties},
 * 401/403 as problem details, and {@link ProblemDetailsAdvice}. Each service still declares its
 * own {@code SecurityFilterChain}, because which paths need which scope is its own business.
 */
// before WebMvcAutoConfiguration: with spring.mvc.problemdetails.enabled=true Boot registers its own
// ResponseEntityExceptionHandler unless one exists already, and it would answer without our codes
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@EnableConfigurationProperties(JwtProperties.class)
@Import(ProblemDetailsAdvice.class)
public class WebSupportAutoConfiguration {

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
}
