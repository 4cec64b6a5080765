package io.rushcoupon.common.issue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Settings of issue requests that gateway and worker must agree on ({@code rushcoupon.issue.*}).
 * In {@code common}, without Spring, because both services bind this one record: each does so
 * with a small {@code Binder} bean, and the rule below is checked here, so it cannot differ
 * between them; the IDE metadata is in this module's {@code META-INF/spring-configuration-metadata.json}.
 *
 * @param requestTtl how long a request's status hash lives in Redis, so users can poll it: the
 *                   gateway sets it when it admits a request, the worker again when it decides
 *                   it; at least 1 s (Redis expires in whole seconds, and 0 would expire at once)
 */
public record IssueRequestSettings(Duration requestTtl) {

    /** The prefix both services bind. */
    public static final String PREFIX = "rushcoupon.issue";

    /** {@code requestTtl} when none is configured. */
    public static final Duration DEFAULT_REQUEST_TTL = Duration.ofHours(24);

    public IssueRequestSettings(@Nullable Duration requestTtl) {
        this.requestTtl = requestTtl == null ? DEFAULT_REQUEST_TTL : requestTtl;
        if (this.requestTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(PREFIX + ".request-ttl must be at least 1s, but is " + requestTtl);
        }
    }

    /** The settings with every default. */
    public static IssueRequestSettings defaults() {
        return new IssueRequestSettings(null);
    }
}
