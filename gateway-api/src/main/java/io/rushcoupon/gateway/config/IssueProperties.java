package io.rushcoupon.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Issue settings the gateway shares with the worker ({@code rushcoupon.issue.*}).
 *
 * @param requestTtl how long a request's status hash lives in Redis, so users can poll it
 */
@ConfigurationProperties("rushcoupon.issue")
public record IssueProperties(@DefaultValue("24h") Duration requestTtl) {

    public IssueProperties {
        if (requestTtl.toSeconds() <= 0) {
            throw new IllegalArgumentException("rushcoupon.issue.request-ttl must be at least one second");
        }
    }
}
