package io.rushcoupon.worker.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.common.notification.CouponRef;
import io.rushcoupon.common.notification.DiscordWebhook;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import io.rushcoupon.worker.WorkerIntegrationTest;
import io.rushcoupon.worker.notification.FakeDiscord.Answer;
import io.rushcoupon.worker.notification.FakeDiscord.Received;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher against real PostgreSQL and a stand-in for Discord: each test builds its own
 * dispatchers (the scheduled one is off) with short back-offs and leases, and drives them itself.
 */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.enabled=false",
        "rushcoupon.discord.dispatcher.enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class NotificationDispatcherIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @Autowired
    NotificationStore store;

    @Autowired
    JsonMapper json;

    private FakeDiscord discord;

    @BeforeEach
    void startDiscord() {
        discord = new FakeDiscord();
    }

    @AfterEach
    void stopDiscord() {
        discord.close();
    }

    @Test
    void postsTheRenderedMessageAsJsonThatMentionsNobodyAndMarksItSent() {
        long id = record(opened(1, "Drop @everyone **now**"));

        dispatcher(discord.url()).dispatchDue();

        assertThat(discord.received()).hasSize(1);
        Received request = discord.received().getFirst();
        assertThat(request.contentType()).isEqualTo("application/json");
        JsonNode body = json.readTree(request.body());
        assertThat(body.get("allowed_mentions").get("parse").size()).isZero();
        assertThat(body.get("embeds").get(0).get("title").asString())
                .isEqualTo("Issue window opened: Drop @\u200Beveryone \\*\\*now\\*\\*");
        assertThat(row(id)).containsEntry("state", "SENT").containsEntry("attempts", 0)
                .containsEntry("delivered_to", "{http://127.0.0.1:" + port() + "/api/webhooks/123456/****}");
        assertThat(fixture.jdbc().sql("SELECT sent_at IS NOT NULL FROM notification WHERE id = :id").param("id", id)
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void waitsTheRetryAfterOfA429BeforeSendingAgainAndDeliversOnce() {
        discord.answer(new Answer(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": 0.75, "
                + "\"global\": false}", Map.of("Content-Type", "application/json", "Retry-After", "1")));
        long id = record(opened(2, "Limited"));
        NotificationDispatcher dispatcher = dispatcher(discord.url());

        deliver(dispatcher, id);

        List<Received> received = discord.received();
        assertThat(received).hasSize(2);
        assertThat(Duration.ofNanos(received.get(1).arrivedNanos() - received.get(0).arrivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(750));
        // a 429 is no failed attempt
        assertThat(row(id)).containsEntry("state", "SENT").containsEntry("attempts", 0);
    }

    @Test
    void holdsTheNextSendWhileTheWebhooksBucketIsEmpty() {
        discord.answer(new Answer(204, "", Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.6")));
        long first = record(opened(3, "First"));
        long second = record(opened(4, "Second"));
        NotificationDispatcher dispatcher = dispatcher(discord.url());

        deliver(dispatcher, second);

        assertThat(row(first)).containsEntry("state", "SENT");
        List<Received> received = discord.received();
        assertThat(received).hasSize(2);
        assertThat(Duration.ofNanos(received.get(1).arrivedNanos() - received.get(0).arrivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void retriesAfterA500AndDeliversOnTheNextAttempt() {
        discord.answer(Answer.of(500));
        long id = record(opened(5, "Flaky"));

        deliver(dispatcher(discord.url()), id);

        assertThat(discord.received()).hasSize(2);
        assertThat(row(id)).containsEntry("state", "SENT").containsEntry("attempts", 1);
    }

    @Test
    void marksItFailedOnA400AndNeverSendsItAgain() {
        discord.answer(new Answer(400, "{\"message\": \"Invalid Form Body\", \"code\": 50035}", Map.of()));
        long id = record(opened(6, "Refused"));
        NotificationDispatcher dispatcher = dispatcher(discord.url());

        dispatcher.dispatchDue();
        // longer than any back-off of these settings
        sleep(Duration.ofMillis(600));
        dispatcher.dispatchDue();

        assertThat(discord.received()).hasSize(1);
        assertThat(row(id)).containsEntry("state", "FAILED");
        assertThat((String) row(id).get("last_error")).contains("HTTP 400").contains("Invalid Form Body");
        assertThat(counter(MetricNames.NOTIFICATIONS)).isPositive();
    }

    @Test
    void deliversWhatWasRecordedWhileTheWebhookWasDownOnceItIsBack() {
        discord.stop();
        long id = record(opened(7, "Patience"));
        NotificationDispatcher dispatcher = dispatcher(discord.url());
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatchDue();
            return (int) row(id).get("attempts") >= 3;
        });
        assertThat(row(id)).containsEntry("state", "PENDING");

        discord.restart();
        deliver(dispatcher, id);

        assertThat(discord.received()).hasSize(1);
        assertThat(row(id)).containsEntry("state", "SENT");
    }

    @Test
    void aDispatcherThatDiesAfterTheClaimLeavesTheNotificationToTheNextAfterTheLease() {
        long id = record(opened(8, "Survivor"));
        // a lease far longer than the next steps take, however busy the machine
        NotificationDispatcher dying = dispatcher(List.of(discord.url()), Duration.ofSeconds(5), (webhook, body) -> {
            throw new IllegalStateException("dispatcher killed before it sent");
        });
        assertThatThrownBy(dying::dispatchDue).hasMessageContaining("killed");
        assertThat(row(id)).containsEntry("state", "PENDING");

        // while the dead one's lease lasts, another dispatcher leaves the notification alone
        NotificationDispatcher next = dispatcher(discord.url());
        next.dispatchDue();
        assertThat(discord.received()).isEmpty();

        deliver(next, id);
        assertThat(discord.received()).hasSize(1);
        assertThat(row(id)).containsEntry("state", "SENT");
    }

    @Test
    void aDispatcherThatDiesBetweenTheAnswerAndTheMarkCausesADuplicateNotALoss() {
        long id = record(opened(9, "Twice"));
        DiscordProperties properties = properties(List.of(discord.url()), LEASE);
        WebhookPoster http = new DiscordWebhookClient(properties.dispatcher());
        NotificationDispatcher dying = dispatcher(List.of(discord.url()), LEASE, (webhook, body) -> {
            http.post(webhook, body);
            throw new IllegalStateException("dispatcher killed after the 2xx");
        });
        assertThatThrownBy(dying::dispatchDue).hasMessageContaining("killed");

        deliver(dispatcher(discord.url()), id);

        assertThat(discord.received()).hasSize(2);
        assertThat(row(id)).containsEntry("state", "SENT");
    }

    @Test
    void sendsToEachWebhookOnceAndRetriesOnlyTheOneThatFailed() {
        try (FakeDiscord other = new FakeDiscord()) {
            other.answer(Answer.of(503));
            long id = record(opened(10, "Both"));

            deliver(dispatcher(discord.url(), other.url()), id);

            assertThat(discord.received()).hasSize(1);
            assertThat(other.received()).hasSize(2);
            assertThat(row(id)).containsEntry("state", "SENT");
        }
    }

    @Test
    void writesEachNotificationToTheLogWithoutAWebhook(CapturedOutput output) {
        long id = record(opened(11, "Logged *drop*"));

        dispatcher().dispatchDue();

        assertThat(row(id)).containsEntry("state", "LOGGED");
        assertThat(output.getOut()).contains("Notification opened:11 (no webhook configured, not sent): "
                + "Issue window opened: Logged *drop* | Code: C11 (#11) | Units: 10");
    }

    @Test
    void neverLogsOrStoresTheWebhooksToken(CapturedOutput output) {
        discord.answer(Answer.of(500), new Answer(429, "{\"retry_after\": 0.1}", Map.of()),
                new Answer(404, "{\"message\": \"Unknown Webhook " + FakeDiscord.TOKEN + "\"}", Map.of()));
        long id = record(opened(12, "Secret"));
        NotificationDispatcher dispatcher = dispatcher(discord.url());
        deliver(dispatcher, id);
        discord.stop();
        long down = record(opened(13, "Down"));
        dispatcher.run();

        String masked = "127.0.0.1:" + port() + "/api/webhooks/123456/****";
        assertThat(output.getAll()).contains(masked).doesNotContain(FakeDiscord.TOKEN);
        assertThat((String) row(id).get("last_error")).contains(masked).doesNotContain(FakeDiscord.TOKEN);
        assertThat(fixture.jdbc().sql("SELECT count(*) FROM notification WHERE concat_ws(' ', last_error, "
                + "delivered_to, failed_to, payload) LIKE :token").param("token", "%" + FakeDiscord.TOKEN + "%")
                .query(Integer.class).single()).isZero();
        assertThat(row(down)).containsEntry("state", "PENDING");
        assertThat(properties(List.of(discord.url()), LEASE).toString()).contains(masked).doesNotContain(FakeDiscord.TOKEN);
        assertThat(DiscordWebhook.of(discord.url()).redact("failed: " + discord.url())).doesNotContain(FakeDiscord.TOKEN);
    }

    private static WindowOpened opened(long couponId, String name) {
        return new WindowOpened(new CouponRef(couponId, "C" + couponId, name), 10, START, START.plusSeconds(3600));
    }

    private long record(NotificationPayload payload) {
        assertThat(store.insert(payload, json.writeValueAsString(payload))).isTrue();
        return fixture.jdbc().sql("SELECT id FROM notification WHERE dedupe_key = :key")
                .param("key", payload.dedupeKey()).query(Long.class).single();
    }

    /** Dispatches until the notification is no longer pending. */
    private void deliver(NotificationDispatcher dispatcher, long id) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> {
            dispatcher.dispatchDue();
            return !"PENDING".equals(row(id).get("state"));
        });
    }

    private Map<String, Object> row(long id) {
        return fixture.jdbc().sql("""
                SELECT state, attempts, CAST(delivered_to AS text) AS delivered_to, last_error
                FROM notification WHERE id = :id
                """).param("id", id).query().singleRow();
    }

    private NotificationDispatcher dispatcher(String... urls) {
        DiscordProperties properties = properties(List.of(urls), LEASE);
        return dispatcher(List.of(urls), LEASE, new DiscordWebhookClient(properties.dispatcher()));
    }

    private NotificationDispatcher dispatcher(List<String> urls, Duration lease, WebhookPoster poster) {
        return new NotificationDispatcher(store, poster, new WebhookRateLimits(Clock.systemUTC()),
                properties(urls, lease), new NotificationMetrics(meters), json);
    }

    private static DiscordProperties properties(List<String> urls, Duration lease) {
        return new DiscordProperties(urls.stream().map(DiscordWebhook::of).toList(),
                new DiscordProperties.Dispatcher(true, Duration.ofMillis(50), lease, Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(300), 30),
                new DiscordProperties.Announcements(Duration.ofHours(24), Duration.ofMinutes(15)));
    }

    private int port() {
        return URI.create(discord.url()).getPort();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
