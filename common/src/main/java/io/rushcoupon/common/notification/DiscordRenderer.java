package io.rushcoupon.common.notification;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.common.notification.DiscordMessage.Embed;
import io.rushcoupon.common.notification.DiscordMessage.Field;
import io.rushcoupon.common.notification.DiscordMessage.Footer;
import io.rushcoupon.common.notification.NotificationPayload.Closed;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.PauseChanged;
import io.rushcoupon.common.notification.NotificationPayload.SoldOut;
import io.rushcoupon.common.notification.NotificationPayload.StateRebuilt;
import io.rushcoupon.common.notification.NotificationPayload.StockRepaired;
import io.rushcoupon.common.notification.NotificationPayload.WindowEnded;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;

/**
 * Renders a notification's facts as one Discord embed (and as one log line where no webhook is
 * configured). Every text anyone could have typed is escaped ({@link DiscordMarkdown}), and the
 * message is cut to Discord's limits ({@link DiscordLimits}).
 */
public final class DiscordRenderer {

    private static final int GREEN = 0x2ECC71;
    private static final int RED = 0xE74C3C;
    private static final int BLUE = 0x3498DB;
    private static final int ORANGE = 0xE67E22;
    private static final int GREY = 0x95A5A6;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The message for the payload, within Discord's limits; {@code dedupeKey} goes in the footer. */
    public DiscordMessage render(NotificationPayload payload) {
        Embed embed = switch (payload) {
            case WindowOpened p -> embed("Issue window opened: " + name(p.coupon()), GREEN, p.issueStartsAt(),
                    List.of(code(p.coupon()), field("Units", p.total()),
                            field("Window", time(p.issueStartsAt()) + " – " + time(p.issueEndsAt()))));
            case SoldOut p -> embed("Sold out: " + name(p.coupon()), RED, p.soldOutAt(),
                    List.of(code(p.coupon()), field("Units", p.total()),
                            field("Sold out after", duration(Duration.between(p.issueStartsAt(), p.soldOutAt()))
                                    + " from the window's start"),
                            field("Requests decided by the worker", p.decisionsByWorker()),
                            field("Peak issuances per second", p.peakIssuedPerSecond())));
            case WindowEnded p -> summary("Issue window ended: " + name(p.coupon()), BLUE, p.issueEndsAt(),
                    p.coupon(), p.summary(), List.of());
            case Closed p -> summary("Closed: " + name(p.coupon()), GREY, p.closedAt(), p.coupon(), p.summary(),
                    List.of(field("By", DiscordMarkdown.escape(p.adminSubject()))));
            case PauseChanged p -> embed((p.paused() ? "Paused: " : "Resumed: ") + name(p.coupon()),
                    p.paused() ? ORANGE : GREEN, p.at(),
                    List.of(code(p.coupon()), field("By", DiscordMarkdown.escape(p.adminSubject())),
                            field("Version", p.version())));
            case DeadLetters p -> new Embed("Records dead-lettered",
                    p.count() + (p.count() == 1 ? " record" : " records") + " reached " + Topics.ISSUE_REQUESTED_DLT
                            + " in the minute from " + time(p.minute()) + ".",
                    RED, List.of(field("First", DiscordMarkdown.escape(p.firstRecord())),
                            field("First reason", DiscordMarkdown.escape(p.firstReason()))),
                    null, p.minute().toString());
            case StateRebuilt p -> embed("Redis state rebuilt: " + name(p.coupon()), ORANGE, p.at(),
                    List.of(code(p.coupon()), field("Users issued", p.issuedUsers()),
                            field("Remaining in Redis", p.redisRemaining()),
                            field("Remaining in PostgreSQL", p.databaseRemaining())));
            case StockRepaired p -> embed("Stock drift repaired: " + name(p.coupon()), ORANGE, p.at(),
                    List.of(code(p.coupon()), field("Redis had", p.redisRemaining()),
                            field("PostgreSQL has", p.databaseRemaining())));
        };
        Embed withFooter = new Embed(embed.title(), embed.description(), embed.color(), embed.fields(),
                new Footer("RushCoupon · " + payload.dedupeKey()), embed.timestamp());
        return DiscordLimits.fit(new DiscordMessage(null, List.of(withFooter)));
    }

    /** The message as one readable log line: title, description and fields, markdown escapes undone. */
    public String logLine(DiscordMessage message) {
        StringJoiner line = new StringJoiner(" | ");
        if (message.content() != null) {
            line.add(message.content());
        }
        for (Embed embed : message.embeds()) {
            if (embed.title() != null) {
                line.add(embed.title());
            }
            if (embed.description() != null) {
                line.add(embed.description());
            }
            for (Field field : embed.fields()) {
                line.add(field.name() + ": " + field.value());
            }
        }
        return DiscordMarkdown.plain(line.toString()).replace('\n', ' ');
    }

    private static Embed summary(String title, int color, Instant at, CouponRef coupon, CouponSummary summary,
            List<Field> extra) {
        List<Field> fields = new ArrayList<>(List.of(code(coupon),
                field("Issued", summary.issued() + " of " + summary.total())));
        fields.add(new Field("Rejected by the worker", rejections(summary.rejectedByWorker()), false));
        fields.add(field("Redemptions so far", summary.redemptions() == null ? "unknown" : summary.redemptions()));
        fields.addAll(extra);
        return embed(title, color, at, fields);
    }

    /** One line per reason, most frequent first; cut to the field's limit by {@link DiscordLimits}. */
    private static String rejections(Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "none";
        }
        StringJoiner lines = new StringJoiner("\n");
        byReason.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> lines.add(DiscordMarkdown.escape(entry.getKey()) + ": " + entry.getValue()));
        return lines.toString();
    }

    private static Embed embed(String title, int color, Instant at, List<Field> fields) {
        return new Embed(title, null, color, fields, null, at.toString());
    }

    private static String name(CouponRef coupon) {
        return DiscordMarkdown.escape(coupon.name());
    }

    private static Field code(CouponRef coupon) {
        return field("Code", DiscordMarkdown.escape(coupon.code()) + " (#" + coupon.couponId() + ")");
    }

    private static Field field(String name, Object value) {
        return new Field(name, String.valueOf(value), true);
    }

    private static String time(Instant at) {
        return TIME.format(at);
    }

    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
