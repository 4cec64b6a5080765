package io.rushcoupon.common.notification;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The facts of one notification (stored as JSON in notification.payload; rendered only when sent),
 * and the dedupe key that makes its event be announced once however many writers see it.
 */
public sealed interface NotificationPayload {

    NotificationKind kind();

    /** Stable per event: every writer of the same event computes the same key. */
    String dedupeKey();

    /** A coupon's issue window opened. Once per coupon. */
    record WindowOpened(CouponRef coupon, int total, Instant issueStartsAt, Instant issueEndsAt)
            implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.WINDOW_OPENED;
        }

        @Override
        public String dedupeKey() {
            return "opened:" + coupon.couponId();
        }
    }

    /**
     * The worker's commit took the coupon's remaining units to 0. Keyed by the total too, so a coupon
     * whose total an admin raised afterwards is announced again when it sells out again.
     *
     * @param soldOutAt            the commit's time (PostgreSQL's)
     * @param decisionsByWorker    requests the worker decided so far (issued + rejected); the
     *                             gateway's own refusals are not in it
     * @param peakIssuedPerSecond  most issuance rows committed within one second (issued_at)
     */
    record SoldOut(CouponRef coupon, int total, Instant issueStartsAt, Instant soldOutAt, long decisionsByWorker,
            long peakIssuedPerSecond) implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.SOLD_OUT;
        }

        @Override
        public String dedupeKey() {
            return "soldout:" + coupon.couponId() + ":" + total;
        }
    }

    /** A coupon's window ended (and it was not closed before). Once per coupon. */
    record WindowEnded(CouponRef coupon, Instant issueEndsAt, CouponSummary summary) implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.WINDOW_ENDED;
        }

        @Override
        public String dedupeKey() {
            return "ended:" + coupon.couponId();
        }
    }

    /** An admin closed the coupon (final). Once per coupon. */
    record Closed(CouponRef coupon, String adminSubject, Instant closedAt, CouponSummary summary)
            implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.CLOSED;
        }

        @Override
        public String dedupeKey() {
            return "closed:" + coupon.couponId();
        }
    }

    /**
     * An admin paused ({@code paused}) or resumed the coupon; the coupon's version after the change
     * tells one pause from the next.
     */
    record PauseChanged(CouponRef coupon, boolean paused, String adminSubject, long version, Instant at)
            implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return paused ? NotificationKind.PAUSED : NotificationKind.RESUMED;
        }

        @Override
        public String dedupeKey() {
            return (paused ? "paused:" : "resumed:") + coupon.couponId() + ":" + version;
        }
    }

    /**
     * Records that reached the dead-letter topic within one minute, all coupons together: the first
     * writes the row, the others count themselves in while it waits for its minute to end.
     *
     * @param minute      the minute's start (UTC)
     * @param firstRecord topic-partition@offset of the first
     * @param firstReason why the first could not be issued
     */
    record DeadLetters(Instant minute, long count, String firstRecord, String firstReason)
            implements NotificationPayload {

        /** The minute an instant falls in; its dead letters share one notification. */
        public static Instant minuteOf(Instant at) {
            return at.truncatedTo(ChronoUnit.MINUTES);
        }

        @Override
        public NotificationKind kind() {
            return NotificationKind.DEAD_LETTERS;
        }

        @Override
        public String dedupeKey() {
            return "dlt:" + minute.atOffset(ZoneOffset.UTC).toLocalDateTime();
        }
    }

    /**
     * The reconciler rebuilt the coupon in Redis from PostgreSQL (Redis had lost it). At most one per
     * coupon and hour: a Redis that keeps losing it is told of once an hour, not every round.
     */
    record StateRebuilt(CouponRef coupon, long issuedUsers, long redisRemaining, int databaseRemaining, Instant at)
            implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.STATE_REBUILT;
        }

        @Override
        public String dedupeKey() {
            return "rebuilt:" + coupon.couponId() + ":" + hourOf(at);
        }
    }

    /** The reconciler set Redis's drifted stock to PostgreSQL's. At most one per coupon and hour. */
    record StockRepaired(CouponRef coupon, long redisRemaining, int databaseRemaining, Instant at)
            implements NotificationPayload {

        @Override
        public NotificationKind kind() {
            return NotificationKind.STOCK_REPAIRED;
        }

        @Override
        public String dedupeKey() {
            return "repaired:" + coupon.couponId() + ":" + hourOf(at);
        }
    }

    private static String hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
    }
}
