package io.rushcoupon.gateway.config;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.rushcoupon.common.issue.IssueRequestSettings;

/** Binds {@code rushcoupon.issue.*}, the settings the gateway shares with the worker (checked in the record). */
@Configuration(proxyBeanMethods = false)
class IssueSettingsConfig {

    @Bean
    IssueRequestSettings issueRequestSettings(Environment environment) {
        return Binder.get(environment).bindOrCreate(IssueRequestSettings.PREFIX, IssueRequestSettings.class);
    }
}
