package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.notification.NotificationKind;
import io.rushcoupon.common.notification.NotificationPayload;
import io.rushcoupon.common.notification.NotificationPayload.Closed;
import io.rushcoupon.common.notification.NotificationPayload.PauseChanged;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/** Pause, resume and close tell the team once, in the transaction of the change (issuance-worker/README.md). */
class CouponNotificationIntegrationTest extends AdminIntegrationTest {

    @Autowired
    JsonMapper json;

    private record Row(String dedupeKey, String kind, NotificationPayload payload) {
    }

    /** The outbox as the worker's dispatcher reads it: the payload as the type its kind names. */
    private List<Row> notifications() {
        return jdbc.sql("SELECT dedupe_key, kind, CAST(payload AS text) FROM notification ORDER BY id")
                .query((rs, row) -> new Row(rs.getString(1), rs.getString(2),
                        json.readValue(rs.getString(3), NotificationKind.valueOf(rs.getString(2)).payloadType())))
                .list();
    }

    private static MockHttpServletRequestBuilder asAlice(MockHttpServletRequestBuilder request) {
        String token = TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("7")
                .claim("scope", TestTokens.ADMIN_SCOPE).claim("preferred_username", "alice"));
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    @Test
    void pauseAndResumeEachWriteOneNotificationNamingTheAdminAndTheVersionTheyWrote() throws Exception {
        long id = createOpenCoupon("TOLD");

        mvc.perform(asAlice(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume"))).andExpect(status().isOk());

        List<Row> rows = notifications();
        assertThat(rows).extracting(Row::dedupeKey).containsExactly("paused:" + id + ":1", "resumed:" + id + ":2");
        assertThat(rows).extracting(Row::kind).containsExactly("PAUSED", "RESUMED");
        PauseChanged paused = (PauseChanged) rows.get(0).payload();
        assertThat(paused.paused()).isTrue();
        assertThat(paused.adminSubject()).isEqualTo("7 (alice)");
        assertThat(paused.coupon().code()).isEqualTo("TOLD");
        assertThat(paused.coupon().name()).isEqualTo("Coupon TOLD");
        PauseChanged resumed = (PauseChanged) rows.get(1).payload();
        assertThat(resumed.paused()).isFalse();
        // TestTokens.admin() carries no preferred_username
        assertThat(resumed.adminSubject()).isEqualTo("1");
        assertThat(resumed.version()).isEqualTo(version(id));
    }

    @Test
    void closeWritesOneNotificationWithTheCouponsSummary() throws Exception {
        long id = createOpenCoupon("SUMMED");
        Instant now = Instant.now();
        long first = issue(id, 1, "r-1", now, now.plus(Duration.ofDays(30)));
        issue(id, 2, "r-2", now);
        redeem(first, "order-1", "20.00", "5.50", now);
        jdbc.sql("INSERT INTO issue_rejection (request_id, coupon_id, user_id, reason) VALUES (?, ?, ?, ?)")
                .params("r-3", id, 3, "SOLD_OUT").update();
        jdbc.sql("INSERT INTO issue_rejection (request_id, coupon_id, user_id, reason) VALUES (?, ?, ?, ?)")
                .params("r-4", id, 1, "DUPLICATE_REQUEST").update();

        mvc.perform(asAlice(post(COUPONS + "/" + id + "/close"))).andExpect(status().isOk());

        List<Row> rows = notifications();
        assertThat(rows).extracting(Row::dedupeKey).containsExactly("closed:" + id);
        Closed closed = (Closed) rows.getFirst().payload();
        assertThat(closed.adminSubject()).isEqualTo("7 (alice)");
        assertThat(closed.summary().total()).isEqualTo(100);
        assertThat(closed.summary().issued()).isEqualTo(2);
        assertThat(closed.summary().redemptions()).isEqualTo(1);
        assertThat(closed.summary().rejectedByWorker())
                .containsOnly(Map.entry("SOLD_OUT", 1L), Map.entry("DUPLICATE_REQUEST", 1L));
    }

    @Test
    void repeatedAndRefusedChangesWriteNothing() throws Exception {
        long id = createOpenCoupon("AGAIN");

        // resuming an active coupon changes nothing
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume"))).andExpect(status().isOk());
        assertThat(notifications()).isEmpty();

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close"))).andExpect(status().isOk());
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close"))).andExpect(status().isOk());
        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/resume"))).andExpect(status().isConflict());

        assertThat(notifications()).extracting(Row::dedupeKey).containsExactly("paused:" + id + ":1", "closed:" + id);
    }

    @Test
    void aChangeRetriedAfterAVersionConflictWritesOneNotification() throws Exception {
        long id = createOpenCoupon("RETRIED");
        hookableClock().onNextReads(1, () -> bumpVersionElsewhere(id));

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/pause"))).andExpect(status().isOk());

        // the first attempt's flush failed on the version; the second wrote version 2
        assertThat(notifications()).extracting(Row::dedupeKey).containsExactly("paused:" + id + ":2");
    }

    @Test
    void aRolledBackChangeLeavesNoNotification() throws Exception {
        long id = createOpenCoupon("UNDONE");
        AtomicInteger reads = new AtomicInteger();
        AtomicLong seenInside = new AtomicLong(-1);
        // the command reads the clock once before the change and once after the notification, inside
        // the transaction: there the notification is seen, then the transaction is made to fail
        hookableClock().onNextReads(2, () -> {
            if (reads.incrementAndGet() == 2) {
                seenInside.set(count("notification"));
                throw new IllegalStateException("the transaction fails after the notification was written");
            }
        });

        mvc.perform(asAdmin(post(COUPONS + "/" + id + "/close"))).andExpect(status().isInternalServerError());

        assertThat(seenInside).hasValue(1);
        assertThat(notifications()).isEmpty();
        assertThat(jdbc.sql("SELECT state FROM coupon WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("ACTIVE");
    }
}
