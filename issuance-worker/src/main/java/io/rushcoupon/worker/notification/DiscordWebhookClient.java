package io.rushcoupon.worker.notification;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.rushcoupon.common.notification.DiscordWebhook;

/** POSTs JSON to a webhook with java.net.http, connect and answer bounded by the dispatcher's timeouts. */
class DiscordWebhookClient implements WebhookPoster {

    private final HttpClient http;
    private final Duration requestTimeout;

    DiscordWebhookClient(DiscordProperties.Dispatcher settings) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // a redirect would carry the token elsewhere
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = settings.requestTimeout();
    }

    @Override
    public WebhookAnswer post(DiscordWebhook webhook, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(webhook.url())
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "RushCoupon (https://github.com/rushcoupon, 0.1)")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new WebhookAnswer(response.statusCode(), response.body(), response.headers());
    }
}
