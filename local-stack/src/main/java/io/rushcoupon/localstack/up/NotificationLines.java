package io.rushcoupon.localstack.up;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Without a Discord webhook the workers' dispatchers log each notification as one line
 * ({@code Notification <key> (no webhook configured, not sent): …}, issuance-worker's
 * NotificationDispatcher); this follows the workers' log files and hands those lines on, so
 * {@code up} shows the drop's story in its terminal. Each look reads what was appended since the
 * last one; a file that starts again (a restarted worker appends to its log) is read on from where
 * it was.
 */
final class NotificationLines {

    /** What the dispatcher writes in each notification's line, and nowhere else. */
    static final String MARKER = "(no webhook configured, not sent)";
    private static final String START = "Notification ";

    private final Supplier<List<Path>> logs;
    private final Consumer<String> out;
    private final Map<Path, Long> read = new HashMap<>();
    private final Map<Path, String> partial = new HashMap<>();

    NotificationLines(Supplier<List<Path>> logs, Consumer<String> out) {
        this.logs = logs;
        this.out = out;
    }

    /** One look at every log: hands on each complete notification line appended since the last look. */
    void look() {
        for (Path log : logs.get()) {
            try {
                for (String line : newLines(log)) {
                    notification(line).ifPresent(out);
                }
            } catch (IOException e) {
                // not there yet, or being rotated: the next look reads it
            }
        }
    }

    /** The notification part of a log line ({@code Notification <key> …: text}), if it is one. */
    static Optional<String> notification(String logLine) {
        int marker = logLine.indexOf(MARKER);
        int start = marker < 0 ? -1 : logLine.lastIndexOf(START, marker);
        return start < 0 ? Optional.empty() : Optional.of(logLine.substring(start).strip());
    }

    private List<String> newLines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = read.getOrDefault(log, 0L);
            if (file.length() < from) {
                from = 0;
                partial.remove(log);
            }
            byte[] bytes = new byte[(int) Math.min(file.length() - from, 1 << 20)];
            file.seek(from);
            file.readFully(bytes);
            read.put(log, from + bytes.length);
            String text = partial.getOrDefault(log, "") + new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            partial.put(log, end < 0 ? text : text.substring(end + 1));
            List<String> lines = new ArrayList<>();
            if (end >= 0) {
                lines.addAll(text.substring(0, end).lines().toList());
            }
            return lines;
        }
    }
}
