package io.rushcoupon.worker.notification;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.notification.CouponRef;
import io.rushcoupon.common.notification.CouponSummary;
import io.rushcoupon.common.notification.CouponSummaryQuery;
import io.rushcoupon.common.notification.NotificationKind;
import io.rushcoupon.common.notification.NotificationOutbox;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.SoldOut;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the notification outbox (V4__notification_outbox.sql) and of the facts notifications
 * tell. Writers run inside the caller's transaction when there is one; the dispatcher's statements
 * are each a short transaction of their own.
 */
@Repository
class NotificationStore {

    private static final String LAST_ERROR_LIMIT = "1000";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    NotificationStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return whether this call recorded it (false: the event was recorded before) */
    boolean insert(NotificationPayload payload, String json) {
        return jdbc.sql(NotificationOutbox.INSERT)
                .param("dedupeKey", payload.dedupeKey())
                .param("kind", payload.kind().name())
                .param("payload", json)
                .update() == 1;
    }

    /**
     * The minute's dead-letter notification, created due when the minute is over, or its count
     * raised while it still waits. A dead letter counted after its minute's row was taken is left
     * out of the message (its metric still counts it).
     */
    void countDeadLetter(DeadLetters first, String json, Instant due) {
        jdbc.sql("""
                INSERT INTO notification (dedupe_key, kind, payload, next_attempt_at)
                VALUES (:dedupeKey, :kind, CAST(:payload AS jsonb), :due)
                ON CONFLICT (dedupe_key) DO UPDATE
                SET payload = jsonb_set(notification.payload, '{count}',
                                        to_jsonb((notification.payload ->> 'count')::bigint + 1))
                WHERE notification.state = 'PENDING'
                """)
                .param("dedupeKey", first.dedupeKey())
                .param("kind", NotificationKind.DEAD_LETTERS.name())
                .param("payload", json)
                .param("due", OffsetDateTime.ofInstant(due, ZoneOffset.UTC))
                .update();
    }

    Optional<CouponRef> coupon(long couponId) {
        return jdbc.sql("SELECT code, name FROM coupon WHERE id = :id")
                .param("id", couponId)
                .query((rs, row) -> new CouponRef(couponId, rs.getString(1), rs.getString(2)))
                .optional();
    }

    /**
     * The sold-out facts, read in the transaction that took the last units, so its own rows count.
     * issued_at is the inserting transaction's start, so the peak is per committed batch and second.
     */
    Optional<SoldOut> soldOut(long couponId) {
        return jdbc.sql("""
                SELECT c.code, c.name, c.total_quantity, c.issue_starts_at, now(),
                       (SELECT count(*) FROM coupon_issuance WHERE coupon_id = c.id)
                           + (SELECT count(*) FROM issue_rejection WHERE coupon_id = c.id),
                       COALESCE((SELECT max(n) FROM (SELECT count(*) AS n FROM coupon_issuance
                                                     WHERE coupon_id = c.id
                                                     GROUP BY date_trunc('second', issued_at)) s), 0)
                FROM coupon c WHERE c.id = :id
                """)
                .param("id", couponId)
                .query((rs, row) -> new SoldOut(new CouponRef(couponId, rs.getString(1), rs.getString(2)),
                        rs.getInt(3), instant(rs.getObject(4, OffsetDateTime.class)),
                        instant(rs.getObject(5, OffsetDateTime.class)), rs.getLong(6), rs.getLong(7)))
                .optional();
    }

    /** Coupons (not closed) whose window opened after {@code since} and is still open, not yet announced. */
    List<WindowOpened> unannouncedOpenings(Instant now, Instant since) {
        return jdbc.sql("""
                SELECT c.id, c.code, c.name, c.total_quantity, c.issue_starts_at, c.issue_ends_at FROM coupon c
                WHERE c.issue_starts_at <= :now AND c.issue_starts_at > :since AND c.issue_ends_at > :now
                  AND c.state <> 'CLOSED'
                  AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'opened:' || c.id)
                ORDER BY c.issue_starts_at, c.id
                """)
                .param("now", utc(now))
                .param("since", utc(since))
                .query((rs, row) -> new WindowOpened(new CouponRef(rs.getLong(1), rs.getString(2), rs.getString(3)),
                        rs.getInt(4), instant(rs.getObject(5, OffsetDateTime.class)),
                        instant(rs.getObject(6, OffsetDateTime.class))))
                .list();
    }

    /**
     * Coupons (not closed: closing tells its own summary) whose window ended after {@code since},
     * not yet announced, with the time it ended.
     */
    Map<CouponRef, Instant> unannouncedEndings(Instant now, Instant since) {
        Map<CouponRef, Instant> ended = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT c.id, c.code, c.name, c.issue_ends_at FROM coupon c
                WHERE c.issue_ends_at <= :now AND c.issue_ends_at > :since AND c.state <> 'CLOSED'
                  AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'ended:' || c.id)
                ORDER BY c.issue_ends_at, c.id
                """)
                .param("now", utc(now))
                .param("since", utc(since))
                .query(rs -> {
                    ended.put(new CouponRef(rs.getLong(1), rs.getString(2), rs.getString(3)),
                            instant(rs.getObject(4, OffsetDateTime.class)));
                });
        return ended;
    }

    /** When the newest window announcement was recorded; empty on a first start (or an emptied outbox). */
    Optional<Instant> newestWindowAnnouncement() {
        return jdbc.sql("SELECT max(created_at) FROM notification WHERE kind IN ('WINDOW_OPENED', 'WINDOW_ENDED')")
                .query((rs, row) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .single();
    }

    /** The coupon's figures as its window ended: common's {@link CouponSummaryQuery}, as the admin's close. */
    CouponSummary summary(long couponId) {
        return json.readValue(jdbc.sql(CouponSummaryQuery.SUMMARY_JSON).param("couponId", couponId)
                .query(String.class).single(), CouponSummary.class);
    }

    // the dispatcher's statements

    /**
     * Claims the oldest due notification: moves it a lease ahead so no other dispatcher takes it
     * meanwhile. SKIP LOCKED lets two dispatchers claim side by side without waiting for each other.
     */
    Optional<Claimed> claim(Duration lease) {
        return jdbc.sql("""
                UPDATE notification n SET next_attempt_at = now() + make_interval(secs => :lease)
                FROM (SELECT id FROM notification
                      WHERE state = 'PENDING' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, id
                      LIMIT 1
                      FOR UPDATE SKIP LOCKED) due
                WHERE n.id = due.id
                RETURNING n.id, n.dedupe_key, n.kind, CAST(n.payload AS text), n.attempts, n.delivered_to, n.failed_to
                """)
                .param("lease", seconds(lease))
                .query((rs, row) -> new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), strings(rs.getArray(6)), strings(rs.getArray(7))))
                .optional();
    }

    /** One webhook took it: a later retry (or another dispatcher after a crash) skips that webhook. */
    void delivered(long id, String webhook) {
        jdbc.sql("UPDATE notification SET delivered_to = array_append(delivered_to, :webhook) WHERE id = :id")
                .param("webhook", webhook)
                .param("id", id)
                .update();
    }

    /** Done with it: SENT, FAILED or LOGGED. */
    void finish(long id, String state, Set<String> failedTo, @Nullable String lastError) {
        jdbc.sql("""
                UPDATE notification
                SET state = :state, failed_to = CAST(:failedTo AS text[]), last_error = left(:lastError, %s),
                    sent_at = CASE WHEN :state = 'FAILED' THEN NULL ELSE now() END
                WHERE id = :id
                """.formatted(LAST_ERROR_LIMIT))
                .param("state", state)
                .param("failedTo", new SqlArrayValue("text", failedTo.toArray()))
                .param("lastError", lastError)
                .param("id", id)
                .update();
    }

    /** Due again after {@code delay} (PostgreSQL's clock); {@code failed} counts one failed attempt. */
    void retryLater(long id, Duration delay, boolean failed, Set<String> failedTo, @Nullable String lastError) {
        jdbc.sql("""
                UPDATE notification
                SET next_attempt_at = now() + make_interval(secs => :delay), attempts = attempts + :failed,
                    failed_to = CAST(:failedTo AS text[]), last_error = COALESCE(left(:lastError, %s), last_error)
                WHERE id = :id
                """.formatted(LAST_ERROR_LIMIT))
                .param("delay", seconds(delay))
                .param("failed", failed ? 1 : 0)
                .param("failedTo", new SqlArrayValue("text", failedTo.toArray()))
                .param("lastError", lastError)
                .param("id", id)
                .update();
    }

    /** PENDING notifications and the age of the oldest, for the gauges. */
    Backlog backlog() {
        return jdbc.sql("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
                FROM notification WHERE state = 'PENDING'
                """)
                .query((rs, row) -> new Backlog(rs.getLong(1), rs.getDouble(2)))
                .single();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value.toInstant();
    }

    /** A notification this dispatcher holds until its lease ends. */
    record Claimed(long id, String dedupeKey, String kind, String payload, int attempts, List<String> deliveredTo,
            List<String> failedTo) {
    }

    record Backlog(long pending, double oldestAgeSeconds) {
    }
}
