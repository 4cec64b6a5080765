package io.rushcoupon.common.notification;

/**
 * The one way a notification enters the outbox, for every writer (worker, admin): inside the
 * transaction of the change it tells of, so it exists exactly when the change committed. ON CONFLICT
 * on the dedupe key makes a second writer of the same event (another worker, a retried transaction
 * that committed after all, two admins) a no-op.
 */
public final class NotificationOutbox {

    /**
     * Named parameters {@code :dedupeKey}, {@code :kind} ({@link NotificationKind#name()}) and
     * {@code :payload} (the payload record as JSON text). Affects 1 row, or 0 when the event was
     * already recorded.
     */
    public static final String INSERT = """
            INSERT INTO notification (dedupe_key, kind, payload)
            VALUES (:dedupeKey, :kind, CAST(:payload AS jsonb))
            ON CONFLICT (dedupe_key) DO NOTHING
            """;

    private NotificationOutbox() {
    }
}
