package io.rushcoupon.worker.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.worker.notification.DeliveryOutcome.Delivered;
import io.rushcoupon.worker.notification.DeliveryOutcome.RateLimited;
import io.rushcoupon.worker.notification.DeliveryOutcome.Refused;
import io.rushcoupon.worker.notification.DeliveryOutcome.Retryable;
import tools.jackson.databind.json.JsonMapper;

class DeliveryOutcomeTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void waitsTheFractionalRetryAfterOfA429sBodyBeforeItsHeader() {
        assertThat(outcome(429, "{\"retry_after\": 1.25, \"global\": false}", Map.of("Retry-After", "9")))
                .isEqualTo(new RateLimited(Duration.ofMillis(1250)));
    }

    @Test
    void waitsTheRetryAfterHeaderWhenTheBodySaysNothing() {
        assertThat(outcome(429, "", Map.of("Retry-After", "3"))).isEqualTo(new RateLimited(Duration.ofSeconds(3)));
        assertThat(outcome(429, "<html>", Map.of())).isEqualTo(new RateLimited(DeliveryOutcome.DEFAULT_WAIT));
        assertThat(outcome(429, "{\"retry_after\": 1e9}", Map.of()))
                .isEqualTo(new RateLimited(DeliveryOutcome.LONGEST_WAIT));
    }

    @Test
    void pausesAfterA2xxThatEmptiedTheBucket() {
        assertThat(outcome(204, "", Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.5")))
                .isEqualTo(new Delivered(Duration.ofMillis(500)));
        assertThat(outcome(200, "{}", Map.of("X-RateLimit-Remaining", "4", "X-RateLimit-Reset-After", "0.5")))
                .isEqualTo(new Delivered(null));
    }

    @Test
    void retries5xxAndRefusesEveryOther4xxForGood() {
        assertThat(outcome(502, "Bad Gateway", Map.of())).isEqualTo(new Retryable("HTTP 502: Bad Gateway"));
        assertThat(outcome(404, "{\"message\": \"Unknown Webhook\"}", Map.of()))
                .isEqualTo(new Refused("HTTP 404: {\"message\": \"Unknown Webhook\"}"));
        assertThat(outcome(401, "", Map.of())).isInstanceOf(Refused.class);
    }

    private DeliveryOutcome outcome(int status, String body, Map<String, String> headers) {
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return DeliveryOutcome.of(new WebhookAnswer(status, body, HttpHeaders.of(multi, (a, b) -> true)), json);
    }
}
