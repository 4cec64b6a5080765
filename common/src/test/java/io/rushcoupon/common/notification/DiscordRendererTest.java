package io.rushcoupon.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.notification.DiscordMessage.Embed;
import io.rushcoupon.common.notification.DiscordMessage.Field;
import io.rushcoupon.common.notification.NotificationPayload.Closed;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.PauseChanged;
import io.rushcoupon.common.notification.NotificationPayload.SoldOut;
import io.rushcoupon.common.notification.NotificationPayload.StateRebuilt;
import io.rushcoupon.common.notification.NotificationPayload.StockRepaired;
import io.rushcoupon.common.notification.NotificationPayload.WindowEnded;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DiscordRendererTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final CouponRef COUPON = new CouponRef(12, "XMAS-10", "Christmas 10%");

    private final DiscordRenderer renderer = new DiscordRenderer();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void rendersTheSoldOutFactsAsOneEmbedThatCanPingNobody() {
        DiscordMessage message = renderer.render(new SoldOut(COUPON, 100, START, START.plusMillis(3_250), 412, 380));

        JsonNode body = json.readTree(json.writeValueAsString(message));
        assertThat(body.has("content")).isFalse();
        assertThat(body.get("allowed_mentions").get("parse").isArray()).isTrue();
        assertThat(body.get("allowed_mentions").get("parse").size()).isZero();
        JsonNode embed = body.get("embeds").get(0);
        assertThat(embed.get("title").asString()).isEqualTo("Sold out: Christmas 10%");
        assertThat(embed.get("timestamp").asString()).isEqualTo("2026-12-01T10:00:03.250Z");
        assertThat(fields(message)).containsEntry("Code", "XMAS\\-10 (#12)")
                .containsEntry("Units", "100")
                .containsEntry("Sold out after", "3.3 s from the window's start")
                .containsEntry("Requests decided by the worker", "412")
                .containsEntry("Peak issuances per second", "380");
        assertThat(embed.get("footer").get("text").asString()).isEqualTo("RushCoupon · soldout:12:100");
    }

    @Test
    void escapesMarkdownAndNeutralisesMentionsInACouponName() {
        CouponRef coupon = new CouponRef(1, "C1", "**50%** off @everyone _now_ [click](https://x.test) `x` <@123>");

        String title = renderer.render(new WindowOpened(coupon, 5, START, START.plusSeconds(60))).embeds().getFirst()
                .title();

        assertThat(title).isEqualTo("Issue window opened: \\*\\*50%\\*\\* off @\u200Beveryone \\_now\\_ "
                + "\\[click\\]\\(https\\://x.test\\) \\`x\\` \\<@\u200B123\\>");
        assertThat(title).doesNotContain("@everyone");
    }

    @Test
    void cutsA300CharacterNameToTheTitleLimitWithAnEllipsis() {
        CouponRef coupon = new CouponRef(1, "C1", "n".repeat(300));

        Embed embed = renderer.render(new WindowOpened(coupon, 5, START, START.plusSeconds(60))).embeds().getFirst();

        assertThat(embed.title()).hasSize(DiscordLimits.TITLE).endsWith("n…").startsWith("Issue window opened: nnn");
    }

    @Test
    void keepsTwelveRejectionReasonsWithinOneFieldMostFrequentFirst() {
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            reasons.put("REASON_" + i + "_" + "x".repeat(100), (long) i);
        }
        CouponSummary summary = new CouponSummary(100, 90, reasons, 7L);

        DiscordMessage message = renderer.render(new WindowEnded(COUPON, START, summary));

        String rejected = fields(message).get("Rejected by the worker");
        assertThat(rejected).hasSizeLessThanOrEqualTo(DiscordLimits.FIELD_VALUE).endsWith("…")
                .startsWith("REASON\\_11\\_");
        assertThat(fields(message)).containsEntry("Issued", "90 of 100").containsEntry("Redemptions so far", "7");
        assertThat(DiscordLimits.total(message)).isLessThanOrEqualTo(DiscordLimits.TOTAL);
    }

    @Test
    void rendersEveryKindWithinTheLimits() {
        CouponSummary summary = new CouponSummary(10, 10, Map.of("SOLD_OUT", 3L), null);
        List<NotificationPayload> payloads = List.of(
                new WindowOpened(COUPON, 10, START, START.plusSeconds(3600)),
                new SoldOut(COUPON, 10, START, START.plusSeconds(75), 13, 10),
                new WindowEnded(COUPON, START, summary),
                new Closed(COUPON, "admin-7 @here", START, summary),
                new PauseChanged(COUPON, true, "admin-7", 4, START),
                new PauseChanged(COUPON, false, "admin-7", 5, START),
                new DeadLetters(START, 3, "coupon.issue.requested-2@17", "requestId is malformed"),
                new StateRebuilt(COUPON, 8, 2, 2, START),
                new StockRepaired(COUPON, 5, 2, START));

        for (NotificationPayload payload : payloads) {
            DiscordMessage message = renderer.render(payload);
            assertThat(message.embeds()).hasSize(1);
            assertThat(message.embeds().getFirst().title()).isNotBlank();
            assertThat(DiscordLimits.total(message)).isLessThanOrEqualTo(DiscordLimits.TOTAL);
            assertThat(renderer.logLine(message)).doesNotContain("\n").doesNotContain("\u200B");
        }
        assertThat(fields(renderer.render(payloads.get(3)))).containsEntry("By", "admin\\-7 @\u200Bhere")
                .containsEntry("Redemptions so far", "unknown");
    }

    @Test
    void writesALogLineWithoutTheEscapes() {
        CouponRef coupon = new CouponRef(3, "A_B", "50% *off*");

        String line = renderer.logLine(renderer.render(new WindowOpened(coupon, 5, START, START.plusSeconds(60))));

        assertThat(line).isEqualTo("Issue window opened: 50% *off* | Code: A_B (#3) | Units: 5 | "
                + "Window: 2026-12-01 10:00:00 UTC – 2026-12-01 10:01:00 UTC");
    }

    @Test
    void saysDurationsInTheirLargestUsefulUnits() {
        assertThat(DiscordRenderer.duration(Duration.ofMillis(840))).isEqualTo("0.8 s");
        assertThat(DiscordRenderer.duration(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(DiscordRenderer.duration(Duration.ofMinutes(63))).isEqualTo("1 h 3 min");
    }

    @Test
    void keysEachEventStably() {
        assertThat(new WindowOpened(COUPON, 1, START, START).dedupeKey()).isEqualTo("opened:12");
        assertThat(new PauseChanged(COUPON, true, "a", 4, START).dedupeKey()).isEqualTo("paused:12:4");
        assertThat(new PauseChanged(COUPON, false, "a", 5, START).kind()).isEqualTo(NotificationKind.RESUMED);
        assertThat(new DeadLetters(DeadLetters.minuteOf(START.plusSeconds(59)), 1, "t-0@1", "x").dedupeKey())
                .isEqualTo("dlt:2026-12-01T10:00");
        assertThat(new StateRebuilt(COUPON, 1, 1, 1, START.plusSeconds(3599)).dedupeKey())
                .isEqualTo("rebuilt:12:2026-12-01T10:00");
    }

    @Test
    void readsEveryPayloadBackFromItsJsonAsTheTypeOfItsKind() {
        NotificationPayload payload = new Closed(COUPON, "admin", START,
                new CouponSummary(10, 4, Map.of("SOLD_OUT", 2L, "DUPLICATE_REQUEST", 1L), 3L));

        NotificationPayload read = json.readValue(json.writeValueAsString(payload), payload.kind().payloadType());

        assertThat(read).isEqualTo(payload);
    }

    private static Map<String, String> fields(DiscordMessage message) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Field field : message.embeds().getFirst().fields()) {
            fields.put(field.name(), field.value());
        }
        return fields;
    }
}
