package io.rushcoupon.worker.notification;

import java.net.http.HttpHeaders;

/** What a webhook answered: status, body (as text) and headers. */
record WebhookAnswer(int status, String body, HttpHeaders headers) {
}
