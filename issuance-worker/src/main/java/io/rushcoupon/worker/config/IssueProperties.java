package io.rushcoupon.worker.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared with the gateway about issue requests.
 *
 * @param requestTtl how long a request's status hash lives in Redis after the worker decided it;
 *                   the gateway uses the same value when it admits the request
 */
@ConfigurationProperties("rushcoupon.issue")
public record IssueProperties(@DefaultValue("24h") Duration requestTtl) {
}
