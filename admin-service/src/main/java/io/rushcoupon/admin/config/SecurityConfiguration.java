package io.rushcoupon.admin.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import io.rushcoupon.web.security.BearerApiSecurity;
import io.rushcoupon.web.security.ProblemSecurityHandlers;

/**
 * Every admin endpoint needs a bearer token with the scope {@code coupons:admin}; probes, the
 * Prometheus scrape and the API documentation are public. Stateless bearer API: no session, and
 * CSRF protection has nothing to protect (no cookies).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String ADMIN_AUTHORITY = "SCOPE_coupons:admin";

    @Bean
    SecurityFilterChain adminSecurity(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return BearerApiSecurity.apply(http, problems)
                .authorizeHttpRequests(requests -> requests
                        // of the actuator only probes and metrics (the only endpoints exposed, too)
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus")
                                .permitAll()
                        .requestMatchers("/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**")
                                .permitAll()
                        .requestMatchers("/api/v1/admin/**").hasAuthority(ADMIN_AUTHORITY)
                        .anyRequest().authenticated())
                .build();
    }
}
