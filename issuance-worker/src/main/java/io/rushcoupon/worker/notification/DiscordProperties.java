package io.rushcoupon.worker.notification;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.rushcoupon.common.notification.DiscordWebhook;

/**
 * Where and how notifications are delivered.
 *
 * @param webhookUrls   Discord webhook URLs, comma-separated ({@code RUSHCOUPON_DISCORD_WEBHOOK_URL});
 *                      each notification goes to each. None: notifications are still recorded, and
 *                      each is written to the log as one line and marked LOGGED. The URLs hold a
 *                      secret token and are only ever shown masked
 * @param dispatcher    the delivery loop
 * @param announcements the reconciler leader's announcements of windows that opened or ended
 */
@ConfigurationProperties("rushcoupon.discord")
@Validated
record DiscordProperties(
        @DefaultValue List<DiscordWebhook> webhookUrls,
        @DefaultValue @Valid Dispatcher dispatcher,
        @DefaultValue @Valid Announcements announcements) {

    DiscordProperties {
        webhookUrls = List.copyOf(webhookUrls);
    }

    /**
     * @param enabled        run the dispatcher in this instance; several may run at once, as each
     *                       claims a notification before sending it
     * @param interval       pause between two looks for due notifications
     * @param lease          how long a claimed notification is left to its dispatcher; one that dies
     *                       holding it leaves it to the next look after this. Keep it above
     *                       (webhooks × request-timeout)
     * @param connectTimeout connecting to a webhook
     * @param requestTimeout a webhook's answer
     * @param initialBackoff pause after the first 5xx or connection error; doubles per failure
     * @param maxBackoff     longest pause between two attempts
     * @param maxAttempts    failed attempts (5xx, connection errors) after which it is FAILED; a 429
     *                       is not a failed attempt
     */
    record Dispatcher(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") @NotNull Duration interval,
            @DefaultValue("2m") @NotNull Duration lease,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("10s") @NotNull Duration requestTimeout,
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff,
            @DefaultValue("30") @Min(1) int maxAttempts) {
    }

    /**
     * @param lookBack windows that opened or ended longer ago than this are never announced (a worker
     *                 that was down that long stays quiet about them)
     * @param overlap  windows are announced if they opened or ended after the newest window
     *                 announcement less this — on a first start (no announcement yet), after now less
     *                 this, so a new deployment does not announce a day of old coupons
     */
    record Announcements(
            @DefaultValue("24h") @NotNull Duration lookBack,
            @DefaultValue("15m") @NotNull Duration overlap) {
    }
}
