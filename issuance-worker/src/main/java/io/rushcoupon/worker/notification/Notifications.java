package io.rushcoupon.worker.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.notification.CouponRef;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.common.notification.NotificationPayload.DeadLetters;
import io.rushcoupon.common.notification.NotificationPayload.StateRebuilt;
import io.rushcoupon.common.notification.NotificationPayload.StockRepaired;
import io.rushcoupon.common.notification.NotificationPayload.WindowEnded;
import io.rushcoupon.common.notification.NotificationPayload.WindowOpened;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's writers of the notification outbox. {@link #soldOut} runs inside the issuing
 * transaction and fails with it; the others tell of something already done (a dead letter sent, a
 * Redis repair made) and only log when PostgreSQL does not take them.
 */
@Component
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    /** A dead-letter minute is announced this long after it ended, once its stragglers counted in. */
    private static final Duration DEAD_LETTER_GRACE = Duration.ofSeconds(5);

    private final NotificationStore store;
    private final JsonMapper json;
    private final DiscordProperties.Announcements announcements;
    private final Clock clock;

    Notifications(NotificationStore store, JsonMapper json, DiscordProperties properties, Clock clock) {
        this.store = store;
        this.json = json;
        this.announcements = properties.announcements();
        this.clock = clock;
    }

    /**
     * Records that the coupon sold out. Call it in the transaction whose commit takes the coupon's
     * remaining units to 0, after its stock update: the notification commits exactly with it.
     */
    public void soldOut(long couponId) {
        store.soldOut(couponId).ifPresent(this::record);
    }

    /** Counts a record the dead-letter topic acknowledged into its minute's notification. */
    public void deadLettered(String record, String reason) {
        try {
            DeadLetters first = new DeadLetters(DeadLetters.minuteOf(clock.instant()), 1, record, reason);
            store.countDeadLetter(first, json.writeValueAsString(first),
                    first.minute().plus(Duration.ofMinutes(1)).plus(DEAD_LETTER_GRACE));
        } catch (RuntimeException e) {
            log.warn("Could not record the dead-letter notification of {}: {}", record, e.toString());
        }
    }

    /** The reconciler rebuilt the coupon's state in Redis from PostgreSQL. */
    public void stateRebuilt(long couponId, long issuedUsers, long redisRemaining, int databaseRemaining) {
        recordQuietly(couponId, coupon -> new StateRebuilt(coupon, issuedUsers, redisRemaining, databaseRemaining,
                clock.instant()));
    }

    /** The reconciler set Redis's drifted stock to PostgreSQL's. */
    public void stockRepaired(long couponId, long redisRemaining, int databaseRemaining) {
        recordQuietly(couponId, coupon -> new StockRepaired(coupon, redisRemaining, databaseRemaining,
                clock.instant()));
    }

    /**
     * Records the windows that opened or ended recently and were not announced yet: since the newest
     * window announcement less the overlap (on a first start: now less the overlap, so old coupons
     * are not announced in a flood), and never before the look-back. Run by the reconciler's leader
     * each round; safe to run anywhere and twice (dedupe keys).
     *
     * @return how many were recorded now
     */
    public int announceWindows(Instant now) {
        // windows the newest announcement came well after were announced already, or predate a first start
        Instant newest = store.newestWindowAnnouncement().orElse(now);
        Instant since = max(now.minus(announcements.lookBack()), newest.minus(announcements.overlap()));
        int recorded = 0;
        for (WindowOpened opened : store.unannouncedOpenings(now, since)) {
            recorded += record(opened) ? 1 : 0;
        }
        for (Map.Entry<CouponRef, Instant> ended : store.unannouncedEndings(now, since).entrySet()) {
            CouponRef coupon = ended.getKey();
            recorded += record(new WindowEnded(coupon, ended.getValue(), store.summary(coupon.couponId()))) ? 1 : 0;
        }
        return recorded;
    }

    private boolean record(NotificationPayload payload) {
        boolean recorded = store.insert(payload, json.writeValueAsString(payload));
        if (recorded) {
            log.debug("Notification {} recorded", payload.dedupeKey());
        }
        return recorded;
    }

    private void recordQuietly(long couponId, Function<CouponRef, NotificationPayload> payload) {
        try {
            store.coupon(couponId).map(payload).ifPresent(this::record);
        } catch (RuntimeException e) {
            log.warn("Could not record a notification about coupon {}: {}", couponId, e.toString());
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
