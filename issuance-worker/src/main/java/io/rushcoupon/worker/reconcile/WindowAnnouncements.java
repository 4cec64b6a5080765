package io.rushcoupon.worker.reconcile;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rushcoupon.worker.notification.Notifications;

/**
 * Records the notifications of windows that opened or ended since the last round: time-based
 * events have no transaction to ride in, so the leader writes them (idempotent by their dedupe
 * keys, so a second leader during a lease hand-over writes nothing new). A failure is logged and
 * does not end the round: announcing waits for the next one, the repairs must not.
 */
class WindowAnnouncements implements ReconcilerJob {

    private static final Logger log = LoggerFactory.getLogger(WindowAnnouncements.class);

    private final Notifications notifications;
    private final Clock clock;

    WindowAnnouncements(Notifications notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public void run(RoundCoupons round) {
        try {
            notifications.announceWindows(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Could not record window notifications this round: {}", e.toString());
        }
    }
}
