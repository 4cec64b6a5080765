package io.rushcoupon.worker.notification;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rushcoupon.common.notification.DiscordMessage;
import io.rushcoupon.common.notification.DiscordRenderer;
import io.rushcoupon.common.notification.DiscordWebhook;
import io.rushcoupon.common.notification.NotificationKind;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.worker.notification.DeliveryOutcome.Delivered;
import io.rushcoupon.worker.notification.DeliveryOutcome.RateLimited;
import io.rushcoupon.worker.notification.DeliveryOutcome.Refused;
import io.rushcoupon.worker.notification.DeliveryOutcome.Retryable;
import io.rushcoupon.worker.notification.NotificationMetrics.Outcome;
import io.rushcoupon.worker.notification.NotificationStore.Claimed;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers due notifications, one claimed at a time: the claim (one short statement) moves the row a
 * lease ahead, so every worker instance can run a dispatcher and none sends a row another holds;
 * the outcome is written after the send, in a statement of its own. Each configured webhook gets
 * the message once; one that took it is recorded at once (delivered_to), so a retry goes only to
 * the others.
 *
 * <p>A dispatcher that dies after a webhook's 2xx but before that is recorded leaves the row
 * claimed; after the lease another dispatcher (or this one restarted) sends it again: the channel
 * sees the message twice. Nothing is lost, and nothing is sent twice otherwise.
 *
 * <p>Answers: 2xx → that webhook is done; 429 → again after the body's {@code retry_after} (or the
 * {@code Retry-After} header), and nothing goes to that webhook before; an empty bucket
 * ({@code X-RateLimit-Remaining: 0}) holds the next send for {@code X-RateLimit-Reset-After}; 5xx or
 * no answer → exponential back-off, FAILED after {@code max-attempts}; any other 4xx → FAILED for
 * that webhook, never retried. Without webhooks each notification is logged as one line and
 * marked LOGGED.
 */
class NotificationDispatcher {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    /** Notifications one look handles at most, so a backlog does not hold the scheduler thread. */
    private static final int PER_LOOK = 50;

    private final NotificationStore store;
    private final WebhookPoster poster;
    private final WebhookRateLimits rateLimits;
    private final List<DiscordWebhook> webhooks;
    private final DiscordProperties.Dispatcher settings;
    private final NotificationMetrics metrics;
    private final DiscordRenderer renderer = new DiscordRenderer();
    private final JsonMapper json;

    NotificationDispatcher(NotificationStore store, WebhookPoster poster, WebhookRateLimits rateLimits,
            DiscordProperties properties, NotificationMetrics metrics, JsonMapper json) {
        this.store = store;
        this.poster = poster;
        this.rateLimits = rateLimits;
        this.webhooks = properties.webhookUrls();
        this.settings = properties.dispatcher();
        this.metrics = metrics;
        this.json = json;
    }

    /** The scheduled look: a failure is logged; what it held is due again after its lease. */
    void run() {
        try {
            dispatchDue();
        } catch (RuntimeException e) {
            log.warn("Notification dispatch failed, retried after the lease: {}", redact(e.toString()));
        }
    }

    /** Delivers what is due now, up to {@link #PER_LOOK}; then refreshes the backlog gauges. */
    void dispatchDue() {
        for (int i = 0; i < PER_LOOK; i++) {
            Optional<Claimed> claimed = store.claim(settings.lease());
            if (claimed.isEmpty()) {
                break;
            }
            deliver(claimed.get());
        }
        metrics.backlog(store.backlog());
    }

    private void deliver(Claimed claimed) {
        NotificationPayload payload;
        try {
            payload = json.readValue(claimed.payload(), NotificationKind.valueOf(claimed.kind()).payloadType());
        } catch (RuntimeException e) {
            finish(claimed, "FAILED", Set.of(), "unreadable payload: " + e.getMessage());
            return;
        }
        DiscordMessage message = renderer.render(payload);
        if (webhooks.isEmpty()) {
            log.info("Notification {} (no webhook configured, not sent): {}", claimed.dedupeKey(),
                    renderer.logLine(message));
            store.finish(claimed.id(), "LOGGED", Set.of(), null);
            metrics.count(Outcome.LOGGED);
            return;
        }
        send(claimed, json.writeValueAsString(message));
    }

    private void send(Claimed claimed, String body) {
        Set<String> delivered = new HashSet<>(claimed.deliveredTo());
        Set<String> failedTo = new LinkedHashSet<>(claimed.failedTo());
        Duration wait = Duration.ZERO;
        boolean failedAttempt = false;
        String lastError = null;
        for (DiscordWebhook webhook : webhooks) {
            String id = webhook.masked();
            if (delivered.contains(id) || failedTo.contains(id)) {
                continue;
            }
            Duration blocked = rateLimits.waitFor(id);
            if (!blocked.isZero()) {
                wait = max(wait, blocked);
                continue;
            }
            DeliveryOutcome outcome = post(webhook, body);
            switch (outcome) {
                case Delivered d -> {
                    store.delivered(claimed.id(), id);
                    delivered.add(id);
                    if (d.pause() != null) {
                        rateLimits.block(id, d.pause());
                    }
                }
                case RateLimited r -> {
                    rateLimits.block(id, r.delay());
                    wait = max(wait, r.delay());
                    lastError = id + ": HTTP 429, retry after " + r.delay().toMillis() + " ms";
                }
                case Retryable r -> {
                    failedAttempt = true;
                    lastError = id + ": " + webhook.redact(r.reason());
                }
                case Refused r -> {
                    failedTo.add(id);
                    lastError = id + ": " + webhook.redact(r.reason());
                    log.warn("Notification {} refused by {} for good: {}", claimed.dedupeKey(), id,
                            webhook.redact(r.reason()));
                }
            }
        }
        boolean open = webhooks.stream().map(DiscordWebhook::masked)
                .anyMatch(id -> !delivered.contains(id) && !failedTo.contains(id));
        if (!open) {
            finish(claimed, failedTo.isEmpty() ? "SENT" : "FAILED", failedTo, lastError);
        } else if (failedAttempt && claimed.attempts() + 1 >= settings.maxAttempts()) {
            finish(claimed, "FAILED", failedTo, "gave up after " + settings.maxAttempts() + " attempts; " + lastError);
        } else {
            Duration delay = failedAttempt ? max(wait, backOff(claimed.attempts() + 1)) : wait;
            store.retryLater(claimed.id(), delay, failedAttempt, failedTo, lastError);
            metrics.count(Outcome.RETRIED);
            log.info("Notification {} due again in {} ms: {}", claimed.dedupeKey(), delay.toMillis(), lastError);
        }
    }

    private DeliveryOutcome post(DiscordWebhook webhook, String body) {
        try {
            return DeliveryOutcome.of(poster.post(webhook, body), json);
        } catch (IOException e) {
            return new Retryable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retryable("interrupted");
        }
    }

    private void finish(Claimed claimed, String state, Set<String> failedTo, @Nullable String lastError) {
        store.finish(claimed.id(), state, failedTo, lastError);
        metrics.count("SENT".equals(state) ? Outcome.SENT : Outcome.FAILED);
        if (!"SENT".equals(state)) {
            log.warn("Notification {} FAILED: {}", claimed.dedupeKey(), lastError);
        }
    }

    /** initial × 2^(attempt − 1), at most max-backoff. */
    Duration backOff(int attempt) {
        Duration delay = settings.initialBackoff();
        for (int i = 1; i < attempt && delay.compareTo(settings.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
    }

    private String redact(String text) {
        String redacted = text;
        for (DiscordWebhook webhook : webhooks) {
            redacted = webhook.redact(redacted);
        }
        return redacted;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
