package io.rushcoupon.wallet.config;

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import io.rushcoupon.web.security.BearerApiSecurity;
import io.rushcoupon.web.security.ProblemSecurityHandlers;

/**
 * A user's bearer token (the gateway's rules, web-support's decoder) for everything under
 * {@code /api/v1/me}; probes, metrics and the API docs are open; every other path is refused.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain walletSecurity(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return BearerApiSecurity.apply(http, problems)
                .authorizeHttpRequests(requests -> requests
                        // the container's error dispatch renders errors of requests already authorized
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/api/v1/me/**").authenticated()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**").permitAll()
                        .anyRequest().denyAll())
                .build();
    }
}
