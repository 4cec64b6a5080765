package io.rushcoupon.gateway.shedding;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.gateway.config.GatewayProperties;

/** Registers {@link IssueLoadShedder} ahead of Spring Security's chain (order -100). */
@Configuration(proxyBeanMethods = false)
class LoadSheddingConfiguration {

    /** After web-support's body limit (-110), before the security chain (-100). */
    static final int ORDER = -105;

    @Bean
    IssueLoadShedder issueLoadShedder(GatewayProperties settings, MeterRegistry registry) {
        return new IssueLoadShedder(settings.maxInFlight(), settings.overloadedRetryAfter(), registry);
    }

    @Bean
    FilterRegistrationBean<IssueLoadShedder> issueLoadShedderRegistration(IssueLoadShedder shedder) {
        FilterRegistrationBean<IssueLoadShedder> registration = new FilterRegistrationBean<>(shedder);
        registration.setOrder(ORDER);
        return registration;
    }
}
