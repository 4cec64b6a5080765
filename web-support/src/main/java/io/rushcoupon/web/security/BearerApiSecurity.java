package io.rushcoupon.web.security;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;

/**
 * What every service's {@code SecurityFilterChain} shares, so each one only says which paths need
 * which authority: a stateless bearer-token API (no session; CSRF protection has nothing to
 * protect without cookies), web-support's CORS policy, tokens from the shared {@code JwtDecoder},
 * and 401/403 as problem details.
 */
public final class BearerApiSecurity {

    private BearerApiSecurity() {
    }

    public static HttpSecurity apply(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                // web-support's CorsConfigurationSource: closed unless rushcoupon.cors.allowed-origins
                .cors(withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(withDefaults())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
    }
}
