package io.rushcoupon.worker.notification;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What one webhook's answer means for a notification (Discord's rate-limit and error rules). */
sealed interface DeliveryOutcome {

    /** Longest wait a webhook can impose; a longer one is taken as this. */
    Duration LONGEST_WAIT = Duration.ofHours(1);
    /** The wait when a 429 says none. */
    Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    /** 2xx. {@code pause}: the webhook's bucket is empty (X-RateLimit-Remaining 0) for this long. */
    record Delivered(@Nullable Duration pause) implements DeliveryOutcome {
    }

    /** 429: send again after {@code wait}; not a failed attempt. */
    record RateLimited(Duration delay) implements DeliveryOutcome {
    }

    /** 5xx or no answer: retry with back-off. */
    record Retryable(String reason) implements DeliveryOutcome {
    }

    /** Any other 4xx (or 3xx): never sent again to this webhook; Discord bans senders of many bad requests. */
    record Refused(String reason) implements DeliveryOutcome {
    }

    static DeliveryOutcome of(WebhookAnswer answer, JsonMapper json) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            boolean empty = answer.headers().firstValue("X-RateLimit-Remaining").map(String::strip)
                    .filter("0"::equals).isPresent();
            return new Delivered(empty ? seconds(answer.headers().firstValue("X-RateLimit-Reset-After")).orElse(null)
                    : null);
        }
        if (status == 429) {
            Duration wait = retryAfter(answer.body(), json)
                    .or(() -> seconds(answer.headers().firstValue("Retry-After")))
                    .orElse(DEFAULT_WAIT);
            return new RateLimited(wait);
        }
        String reason = "HTTP " + status + (answer.body().isBlank() ? "" : ": " + abbreviate(answer.body()));
        return status >= 500 ? new Retryable(reason) : new Refused(reason);
    }

    /** The body's {@code retry_after}, seconds, possibly fractional. */
    private static Optional<Duration> retryAfter(String body, JsonMapper json) {
        try {
            JsonNode node = json.readTree(body);
            JsonNode retryAfter = node == null ? null : node.get("retry_after");
            return retryAfter != null && retryAfter.isNumber() ? Optional.of(bounded(retryAfter.asDouble()))
                    : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(Optional<String> header) {
        try {
            return header.map(String::strip).map(Double::parseDouble).map(DeliveryOutcome::bounded);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration bounded(double seconds) {
        if (!(seconds > 0)) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(Math.min(seconds, LONGEST_WAIT.toSeconds()) * 1e9));
    }

    private static String abbreviate(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
