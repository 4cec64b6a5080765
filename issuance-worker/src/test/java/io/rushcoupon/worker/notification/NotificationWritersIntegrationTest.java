package io.rushcoupon.worker.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.WindowEnded;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import io.rushcoupon.worker.WorkerIntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/** The worker's outbox writers other than sold-out: window announcements and dead letters. */
@SpringBootTest(properties = {
        "rushcoupon.worker.reconciler.enabled=false",
        "rushcoupon.discord.dispatcher.enabled=false"})
class NotificationWritersIntegrationTest extends WorkerIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Autowired
    Notifications notifications;

    @Autowired
    JsonMapper json;

    @Test
    void announcesAnOpenedWindowOnceHoweverOftenItIsAsked() {
        fixture.openCoupon(21, 10);

        assertThat(notifications.announceWindows(Instant.now())).isEqualTo(1);
        assertThat(notifications.announceWindows(Instant.now())).isZero();

        Map<String, String> opened = fixture.notifications("WINDOW_OPENED");
        assertThat(opened).containsOnlyKeys("opened:21");
        WindowOpened payload = json.readValue(opened.get("opened:21"), WindowOpened.class);
        assertThat(payload.total()).isEqualTo(10);
        assertThat(payload.coupon().code()).isEqualTo("C21");
    }

    @Test
    void announcesAnEndedWindowWithTheWorkersFigures() {
        fixture.openCoupon(22, 10);
        notifications.announceWindows(Instant.now());
        Instant now = Instant.now();
        fixture.recordIssuance(request(22, 1), now);
        fixture.recordIssuance(request(22, 2), now);
        fixture.recordRejection(request(22, 3), ErrorCode.SOLD_OUT, now);
        fixture.recordRejection(request(22, 4), ErrorCode.SOLD_OUT, now);
        fixture.recordRejection(request(22, 2), ErrorCode.DUPLICATE_REQUEST, now);
        fixture.endedAgo(22, Duration.ofMinutes(1));

        assertThat(notifications.announceWindows(Instant.now())).isEqualTo(1);

        WindowEnded ended = json.readValue(fixture.notifications("WINDOW_ENDED").get("ended:22"), WindowEnded.class);
        assertThat(ended.summary().issued()).isEqualTo(2);
        assertThat(ended.summary().total()).isEqualTo(10);
        assertThat(ended.summary().rejectedByWorker()).containsOnly(Map.entry("SOLD_OUT", 2L),
                Map.entry("DUPLICATE_REQUEST", 1L));
        assertThat(ended.summary().redemptions()).isZero();
        assertThat(notifications.announceWindows(Instant.now())).isZero();
    }

    @Test
    void aFirstStartDoesNotAnnounceWindowsOfHoursAgo() {
        fixture.openCoupon(23, 10);
        fixture.endedAgo(23, Duration.ofHours(2));
        fixture.openCoupon(24, 10);

        notifications.announceWindows(Instant.now());
        notifications.announceWindows(Instant.now());

        assertThat(fixture.notifications("WINDOW_OPENED")).containsOnlyKeys("opened:24");
        assertThat(fixture.notifications("WINDOW_ENDED")).isEmpty();
    }

    @Test
    void afterADowntimeAnnouncesTheWindowsThatEndedMeanwhileWithinTheLookBack() {
        // the last announcement before this worker went down, three hours ago
        fixture.jdbc().sql("""
                INSERT INTO notification (dedupe_key, kind, payload, state, created_at)
                VALUES ('opened:99', 'WINDOW_OPENED', '{}', 'SENT', now() - interval '3 hours')
                """).update();
        fixture.openCoupon(25, 10);
        fixture.endedAgo(25, Duration.ofHours(2));
        fixture.openCoupon(26, 10);
        fixture.endedAgo(26, Duration.ofHours(30));

        notifications.announceWindows(Instant.now());

        assertThat(fixture.notifications("WINDOW_ENDED")).containsOnlyKeys("ended:25");
    }

    @Test
    void aClosedCouponsWindowIsNotAnnouncedAsEnded() {
        fixture.openCoupon(27, 10);
        fixture.endedAgo(27, Duration.ofMinutes(1));
        fixture.jdbc().sql("UPDATE coupon SET state = 'CLOSED' WHERE id = 27").update();

        notifications.announceWindows(Instant.now());

        assertThat(fixture.notifications("WINDOW_ENDED")).isEmpty();
    }

    @Test
    void countsTheDeadLettersOfAMinuteIntoOneNotificationDueWhenTheMinuteIsOver() {
        fixture.openCoupon(28, 10);
        for (int i = 0; i < 3; i++) {
            fixture.sendRaw(28, "not an issue request " + i);
        }

        // three within one minute, or split over two when the test straddles a minute's end
        await().atMost(SETTLE).untilAsserted(() -> assertThat(fixture.notifications("DEAD_LETTERS").values().stream()
                .mapToLong(payload -> json.readValue(payload, DeadLetters.class).count()).sum()).isEqualTo(3));
        DeadLetters first = json.readValue(fixture.notifications("DEAD_LETTERS").values().iterator().next(),
                DeadLetters.class);
        assertThat(first.firstRecord()).startsWith("coupon.issue.requested-");
        assertThat(first.firstReason()).isNotBlank();
        assertThat(fixture.jdbc().sql("""
                SELECT bool_and(next_attempt_at >= date_trunc('minute', created_at) + interval '1 minute')
                FROM notification WHERE kind = 'DEAD_LETTERS'
                """).query(Boolean.class).single()).isTrue();
    }

    private static IssueRequested request(long couponId, long userId) {
        return new IssueRequested(RequestId.newFor(couponId).toString(), couponId, userId, null, null, Instant.now());
    }
}
