package io.rushcoupon.wallet.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.wallet.idempotency.Fingerprint;

class IdempotencyIntegrationTest extends RedemptionIntegrationTestBase {

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void replaysTheFirstAnswerForTheSameKeyAndBodyAndChangesNothing() throws Exception {
        long issuance = issue(fixedCoupon("REPLAY"), 1);
        MockHttpServletResponse first = redeem(1, issuance, "k", order("order-1", "20.00"))
                .andExpect(status().isCreated()).andReturn().getResponse();
        List<Object> rowsBefore = tableRows();
        double replayed = replayedCount();

        MockHttpServletResponse again = redeem(1, issuance, "k", order("order-1", "20.00")).andReturn().getResponse();

        assertSameAnswer(again, first);
        assertThat(again.getHeader(HttpHeaders.LOCATION)).isEqualTo(first.getHeader(HttpHeaders.LOCATION)).isNotNull();
        assertThat(tableRows()).isEqualTo(rowsBefore);
        assertThat(replayedCount()).isEqualTo(replayed + 1);
    }

    @Test
    void takesAnAmountWithFewerFractionDigitsAsTheSameRequest() throws Exception {
        long issuance = issue(fixedCoupon("SCALE"), 1);
        MockHttpServletResponse first = redeem(1, issuance, "k", order("order-1", "10.5")).andReturn().getResponse();

        MockHttpServletResponse again = redeem(1, issuance, "k", order("order-1", "10.50")).andReturn().getResponse();

        assertThat(first.getStatus()).isEqualTo(201);
        assertSameAnswer(again, first);
        assertThat(count("coupon_redemption")).isEqualTo(1);
    }

    @Test
    void replaysAStoredRefusalEvenWhenTheCouponHasChangedSince() throws Exception {
        long issuance = issue(fixedCoupon("REFUSAL"), 1);
        long redemptionId = redemptionId(redeemed(1, issuance, "first", "20.00"));
        MockHttpServletResponse refused = redeem(1, issuance, "second", order("order-2", "20.00"))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("COUPON_ALREADY_REDEEMED"))
                .andReturn().getResponse();
        cancel(1, redemptionId).andExpect(status().isOk());

        MockHttpServletResponse again = redeem(1, issuance, "second", order("order-2", "20.00"))
                .andReturn().getResponse();

        assertSameAnswer(again, refused);
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE");
        assertThat(standingRedemptions(issuance)).isZero();
    }

    @Test
    void refusesTheKeyWithAnotherBodyOrAnotherCoupon() throws Exception {
        long coupon = fixedCoupon("REUSE");
        long issuance = issue(coupon, 1);
        long otherIssuance = issue(fixedCoupon("REUSE2"), 1);
        redeemed(1, issuance, "k", "20.00");

        redeem(1, issuance, "k", order("order-k", "21.00"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("IDEMPOTENCY_KEY_REUSED"));
        redeem(1, issuance, "k", order("another-order", "20.00"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("IDEMPOTENCY_KEY_REUSED"));
        redeem(1, otherIssuance, "k", order("order-k", "20.00"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("IDEMPOTENCY_KEY_REUSED"));

        assertThat(issuanceRow(otherIssuance)).containsEntry("status", "AVAILABLE");
        assertThat(count("coupon_redemption")).isEqualTo(1);
    }

    @Test
    void answersInProgressWhileTheFirstRequestWithTheKeyRuns() throws Exception {
        long issuance = issue(fixedCoupon("HELD"), 1);
        String body = order("order-held", "20.00");
        try (ExecutorService firstDevice = Executors.newSingleThreadExecutor();
                Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM coupon_issuance WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, issuance);
                lock.executeQuery().close();
            }
            Future<MvcResult> first = firstDevice.submit(() -> redeem(1, issuance, "held", body).andReturn());
            // the first request has claimed its key and waits for the coupon row inside its transaction
            await().atMost(TIMEOUT).until(() -> "IN_PROGRESS".equals(keyState(1, "held")) && updateWaitsForTheLock());

            MockHttpServletResponse second = redeem(1, issuance, "held", body)
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.code").value("REQUEST_IN_PROGRESS"))
                    .andReturn().getResponse();
            holder.rollback();

            assertThat(Long.parseLong(second.getHeader(HttpHeaders.RETRY_AFTER))).isBetween(1L, 30L);
            MockHttpServletResponse firstAnswer = first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getResponse();
            assertThat(firstAnswer.getStatus()).isEqualTo(201);
            assertThat(keyState(1, "held")).isEqualTo("COMPLETED");
            assertSameAnswer(redeem(1, issuance, "held", body).andReturn().getResponse(), firstAnswer);
        }
        assertThat(count("coupon_redemption")).isEqualTo(1);
    }

    @Test
    void aRetryTakesOverAKeyWhoseLeaseHasPassed() throws Exception {
        long issuance = issue(fixedCoupon("STALE"), 1);
        RedemptionRequest request = new RedemptionRequest("order-stale", new BigDecimal("20.00"));
        insertKey(1, "stale", Fingerprint.of(request.canonical(issuance)), clock.instant().minusSeconds(1));

        redeem(1, issuance, "stale", order("order-stale", "20.00")).andExpect(status().isCreated());

        assertThat(keyState(1, "stale")).isEqualTo("COMPLETED");
        assertThat(standingRedemptions(issuance)).isOne();
    }

    @Test
    void answersInProgressForAKeyWithinItsLeaseAndKeyReusedForAStaleOneOfAnotherRequest() throws Exception {
        long issuance = issue(fixedCoupon("LEASE"), 1);
        RedemptionRequest request = new RedemptionRequest("order-lease", new BigDecimal("20.00"));
        insertKey(1, "running", Fingerprint.of(request.canonical(issuance)), clock.instant().plusSeconds(20));
        insertKey(1, "other", Fingerprint.of("another request"), clock.instant().minusSeconds(1));

        MockHttpServletResponse running = redeem(1, issuance, "running", order("order-lease", "20.00"))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("REQUEST_IN_PROGRESS"))
                .andReturn().getResponse();
        redeem(1, issuance, "other", order("order-lease", "20.00"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("IDEMPOTENCY_KEY_REUSED"));

        assertThat(Long.parseLong(running.getHeader(HttpHeaders.RETRY_AFTER))).isBetween(1L, 20L);
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE");
    }

    @Test
    void keysOfTwoUsersAreIndependent() throws Exception {
        long coupon = fixedCoupon("SCOPE");
        long mine = issue(coupon, 1);
        long theirs = issue(coupon, 2);

        redeem(1, mine, "shared-key", order("order-1", "20.00")).andExpect(status().isCreated());
        redeem(2, theirs, "shared-key", order("order-2", "30.00")).andExpect(status().isCreated());

        assertThat(standingRedemptions(mine)).isOne();
        assertThat(standingRedemptions(theirs)).isOne();
    }

    @Test
    void givesUpTheKeyWhenTheRequestFailsSoARetryRuns() throws Exception {
        long issuance = issue(fixedCoupon("FAIL"), 1);
        double errors = meters.get(MetricNames.REDEMPTIONS).tag(MetricNames.OUTCOME, "error").counter().count();
        jdbc.sql("""
                CREATE FUNCTION refuse_redemption() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'the database refuses'; END $$""").update();
        jdbc.sql("CREATE TRIGGER refuse_redemption BEFORE INSERT ON coupon_redemption "
                + "FOR EACH ROW EXECUTE FUNCTION refuse_redemption()").update();
        try {
            redeem(1, issuance, "retry-me", order("order-1", "20.00"))
                    .andExpect(status().isInternalServerError())
                    .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"));
        } finally {
            jdbc.sql("DROP TRIGGER refuse_redemption ON coupon_redemption").update();
            jdbc.sql("DROP FUNCTION refuse_redemption()").update();
        }
        assertThat(count("redemption_idempotency")).isZero();
        assertThat(issuanceRow(issuance)).containsEntry("status", "AVAILABLE");
        assertThat(meters.get(MetricNames.REDEMPTIONS).tag(MetricNames.OUTCOME, "error").counter().count())
                .isEqualTo(errors + 1);

        redeem(1, issuance, "retry-me", order("order-1", "20.00")).andExpect(status().isCreated());
    }

    private void assertSameAnswer(MockHttpServletResponse again, MockHttpServletResponse first) throws Exception {
        assertThat(again.getStatus()).isEqualTo(first.getStatus());
        assertThat(again.getContentType()).isEqualTo(first.getContentType());
        assertThat(again.getContentAsString()).isEqualTo(first.getContentAsString());
    }

    private List<Object> tableRows() {
        return List.of(jdbc.sql("SELECT * FROM coupon_redemption ORDER BY id").query().listOfRows(),
                jdbc.sql("SELECT * FROM coupon_issuance ORDER BY id").query().listOfRows(),
                jdbc.sql("SELECT * FROM redemption_idempotency ORDER BY user_id, idempotency_key").query().listOfRows());
    }

    private double replayedCount() {
        return meters.get(MetricNames.REDEMPTIONS).tag(MetricNames.OUTCOME, "replayed").counter().count();
    }

    private String keyState(long userId, String key) {
        return jdbc.sql("SELECT state FROM redemption_idempotency WHERE user_id = ? AND idempotency_key = ?")
                .params(userId, key).query(String.class).optional().orElse("NONE");
    }

    private boolean updateWaitsForTheLock() {
        return jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE 'UPDATE coupon_issuance SET status = ''REDEEMED''%'""")
                .query(Long.class).single() > 0;
    }

    private void insertKey(long userId, String key, String fingerprint, Instant leaseUntil) {
        jdbc.sql("""
                INSERT INTO redemption_idempotency (user_id, idempotency_key, fingerprint, state, lease_until, created_at)
                VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?)""")
                .params(userId, key, fingerprint, Timestamp.from(leaseUntil),
                        Timestamp.from(clock.instant().minus(Duration.ofMinutes(1))))
                .update();
    }
}
