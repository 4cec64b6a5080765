package io.rushcoupon.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.notification.NotificationPayload.Closed;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.PauseChanged;
import io.rushcoupon.common.notification.NotificationPayload.SoldOut;
import io.rushcoupon.common.notification.NotificationPayload.StateRebuilt;
import io.rushcoupon.common.notification.NotificationPayload.StockRepaired;
import io.rushcoupon.common.notification.NotificationPayload.WindowEnded;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/operations.md ("Notifications: one message of each kind") shows what {@link DiscordRenderer}
 * really makes of one example of each kind: a change of the rendering that the page does not
 * follow fails here, with the lines the page should show.
 */
class OperationsDocExamplesTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    private static final Instant START = Instant.parse("2026-12-24T09:00:00Z");
    private static final CouponRef COUPON = new CouponRef(12, "XMAS-10", "Christmas 10% off");
    private static final CouponSummary SUMMARY = new CouponSummary(1_000, 1_000,
            Map.of("SOLD_OUT", 214L, "DUPLICATE_REQUEST", 9L), 87L);

    private final DiscordRenderer renderer = new DiscordRenderer();

    static List<NotificationPayload> examples() {
        return List.of(
                new WindowOpened(COUPON, 1_000, START, START.plusSeconds(3_600)),
                new SoldOut(COUPON, 1_000, START, START.plusMillis(4_180), 1_223, 512),
                new WindowEnded(COUPON, START.plusSeconds(3_600), SUMMARY),
                new Closed(COUPON, "1 (alice)", START.plusSeconds(1_800), SUMMARY),
                new PauseChanged(COUPON, true, "1 (alice)", 7, START.plusSeconds(2)),
                new PauseChanged(COUPON, false, "1 (alice)", 9, START.plusSeconds(62)),
                new DeadLetters(START.plusSeconds(60), 3, "coupon.issue.requested-3@1841", "no couponId"),
                new StateRebuilt(COUPON, 640, 0, 360, START.plusSeconds(300)),
                new StockRepaired(COUPON, 365, 360, START.plusSeconds(305)));
    }

    @Test
    void operationsShowsTheRenderedExampleOfEveryKind() throws IOException {
        String page = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
        Map<String, String> lines = new LinkedHashMap<>();
        for (NotificationPayload example : examples()) {
            lines.put(example.kind().name(), renderer.logLine(renderer.render(example)));
        }

        assertThat(lines.keySet()).containsAll(Arrays.stream(NotificationKind.values()).map(Enum::name).toList());
        StringBuilder expected = new StringBuilder();
        lines.forEach((kind, line) -> expected.append("| `").append(kind).append("` | ").append(line.replace("|", "\\|"))
                .append(" |\n"));
        assertThat(page).as("docs/operations.md should hold these rows:%n%s", expected).contains(expected);
    }

    /** And the sold-out message as the webhook receives it. */
    @Test
    void operationsShowsTheSoldOutMessageAsPosted() throws IOException {
        String page = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
        String posted = JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                .writeValueAsString(renderer.render(examples().get(1)));

        assertThat(page).as("docs/operations.md should hold:%n%s", posted).contains("```json\n" + posted + "\n```");
    }
}
