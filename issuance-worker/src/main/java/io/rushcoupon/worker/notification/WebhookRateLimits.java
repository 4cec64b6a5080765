package io.rushcoupon.worker.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Until when each webhook (by its masked form) asked this instance not to send: after a 429, or a
 * 2xx whose bucket was empty. Per instance; a second dispatcher instance learns it from its own 429.
 */
class WebhookRateLimits {

    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    private final Clock clock;

    WebhookRateLimits(Clock clock) {
        this.clock = clock;
    }

    void block(String webhook, Duration wait) {
        Instant until = clock.instant().plus(wait);
        blockedUntil.merge(webhook, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How long to wait before sending to the webhook; zero when it may be sent to now. */
    Duration waitFor(String webhook) {
        Instant until = blockedUntil.get(webhook);
        if (until == null) {
            return Duration.ZERO;
        }
        Duration wait = Duration.between(clock.instant(), until);
        if (wait.isNegative() || wait.isZero()) {
            blockedUntil.remove(webhook, until);
            return Duration.ZERO;
        }
        return wait;
    }
}
