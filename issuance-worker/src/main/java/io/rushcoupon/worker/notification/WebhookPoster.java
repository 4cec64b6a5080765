package io.rushcoupon.worker.notification;

import java.io.IOException;

import io.rushcoupon.common.notification.DiscordWebhook;

/** Sends one message body to one webhook; {@link DiscordWebhookClient} over HTTP. */
interface WebhookPoster {

    /** @throws IOException when no answer came (connection refused or reset, timed out) */
    WebhookAnswer post(DiscordWebhook webhook, String json) throws IOException, InterruptedException;
}
