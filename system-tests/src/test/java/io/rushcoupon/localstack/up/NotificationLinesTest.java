package io.rushcoupon.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} prints of the workers' logs when no Discord webhook is configured. */
class NotificationLinesTest {

    private static final String LINE = "2026-12-24T09:00:04.181Z  INFO 4242 --- [issuance-worker] [   scheduling-1]"
            + " [                                                 ] i.r.w.n.NotificationDispatcher           :"
            + " Notification soldout:12:1000 (no webhook configured, not sent): Sold out: Christmas | Units: 1000";

    @Test
    void printsEachNotificationLineOnceAsItIsAppendedAndNothingElse(@TempDir Path folder) throws Exception {
        Path first = folder.resolve("issuance-worker.log");
        Path second = folder.resolve("issuance-worker-2.log");
        List<String> printed = new ArrayList<>();
        NotificationLines lines = new NotificationLines(() -> List.of(first, second), printed::add);

        lines.look();
        append(first, "Started WorkerApplication in 9.1 seconds\n" + LINE + "\n" + LINE.replace("soldout:12:1000", "opened:13"));
        lines.look();
        append(first, "\n");
        append(second, LINE.replace("soldout:12:1000", "paused:12:7") + "\n");
        lines.look();
        lines.look();

        assertThat(printed).containsExactly(
                "Notification soldout:12:1000 (no webhook configured, not sent): Sold out: Christmas | Units: 1000",
                "Notification opened:13 (no webhook configured, not sent): Sold out: Christmas | Units: 1000",
                "Notification paused:12:7 (no webhook configured, not sent): Sold out: Christmas | Units: 1000");
    }

    @Test
    void knowsANotificationLineByTheDispatchersMarkerOnly() {
        assertThat(NotificationLines.notification(LINE)).hasValueSatisfying(line -> assertThat(line).startsWith(
                "Notification soldout:12:1000 (no webhook configured, not sent): "));
        assertThat(NotificationLines.notification("Notification soldout:12:1000 due again in 1000 ms: HTTP 503")).isEmpty();
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
