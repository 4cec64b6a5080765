package io.rushcoupon.admin.coupon;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.notification.CouponRef;
import io.rushcoupon.common.notification.CouponSummary;
import io.rushcoupon.common.notification.CouponSummaryQuery;
import io.rushcoupon.common.notification.NotificationOutbox;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.common.notification.NotificationPayload.Closed;
import io.rushcoupon.common.notification.NotificationPayload.PauseChanged;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the team's notification of a pause, resume or close into the outbox
 * (V4__notification_outbox.sql) inside the caller's transaction, so it exists exactly when the
 * change committed; the worker's dispatcher delivers it (issuance-worker/README.md, "Notifications").
 */
@Repository
class CouponNotifications {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CouponNotifications(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** After the flush, so the version is the one the change wrote: it tells one pause from the next. */
    void pauseChanged(Coupon coupon, AdminSubject admin, Instant at) {
        insert(new PauseChanged(ref(coupon), coupon.state() == CouponState.PAUSED,
                admin.name(), coupon.version(), at));
    }

    /** The close, with the coupon's summary as this transaction sees it. */
    void closed(Coupon coupon, AdminSubject admin, Instant at) {
        insert(new Closed(ref(coupon), admin.name(), at, summary(coupon.id())));
    }

    /** common's {@link CouponSummaryQuery}, as the worker's window-ended announcement. */
    private CouponSummary summary(long couponId) {
        return json.readValue(jdbc.sql(CouponSummaryQuery.SUMMARY_JSON).param("couponId", couponId)
                .query(String.class).single(), CouponSummary.class);
    }

    private void insert(NotificationPayload payload) {
        jdbc.sql(NotificationOutbox.INSERT)
                .param("dedupeKey", payload.dedupeKey())
                .param("kind", payload.kind().name())
                .param("payload", json.writeValueAsString(payload))
                .update();
    }

    private static CouponRef ref(Coupon coupon) {
        return new CouponRef(coupon.id(), coupon.code(), coupon.name());
    }
}
