package io.rushcoupon.wallet.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.WalletRows;

class ExpiryJobIntegrationTest extends WalletIntegrationTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final long USER = 21;

    @Autowired
    ExpiryJob job;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transactions;

    private WalletRows rows;

    @BeforeEach
    void atAFixedInstant() {
        walletClock().set(NOW);
        rows = new WalletRows(jdbc);
    }

    private double expiriesCounted() {
        return meters.get(MetricNames.EXPIRIES).counter().count();
    }

    /** A coupon of its own for each (one unit per user and coupon), issued a month before it expires. */
    private long issueExpiringAt(String code, Instant expiresAt) {
        return issue(fixedCoupon(code), USER, expiresAt.minus(Duration.ofDays(30)), expiresAt);
    }

    private Instant expiredAt(long issuanceId) {
        return jdbc.sql("SELECT expired_at FROM coupon_issuance WHERE id = ?").param(issuanceId)
                .query(Timestamp.class).single().toInstant();
    }

    @Test
    void marksOnlyDueAvailableCouponsAndCountsThem() {
        long due1 = issueExpiringAt("D1", NOW.minus(Duration.ofDays(2)));
        long due2 = issueExpiringAt("D2", NOW.minusSeconds(1));
        long dueNow = issueExpiringAt("D3", NOW);
        long future = issueExpiringAt("F1", NOW.plusMillis(1));
        long redeemed = issueExpiringAt("R1", NOW.minus(Duration.ofDays(1)));
        rows.redeem(redeemed, "20.00", "5.50", NOW.minus(Duration.ofDays(3)));
        long alreadyExpired = issueExpiringAt("E1", NOW.minus(Duration.ofDays(9)));
        rows.markExpired(alreadyExpired, NOW.minus(Duration.ofDays(9)));
        double before = expiriesCounted();

        assertThat(job.expireDue()).isEqualTo(3);

        assertThat(List.of(due1, due2, dueNow)).allSatisfy(id -> {
            assertThat(rows.storedStatus(id)).isEqualTo("EXPIRED");
            assertThat(expiredAt(id)).isEqualTo(NOW);
        });
        assertThat(rows.storedStatus(future)).isEqualTo("AVAILABLE");
        assertThat(rows.storedStatus(redeemed)).isEqualTo("REDEEMED");
        assertThat(expiredAt(alreadyExpired)).isEqualTo(NOW.minus(Duration.ofDays(9)));
        assertThat(expiriesCounted() - before).isEqualTo(3);

        assertThat(job.expireDue()).isZero();
        assertThat(expiriesCounted() - before).isEqualTo(3);
    }

    @Test
    void marksInBoundedBatchesOldestFirstAndLeavesTheRestToTheNextRun() {
        List<Long> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            oldestFirst.add(issueExpiringAt("B" + i, NOW.minus(Duration.ofHours(10 - i))));
        }
        double before = expiriesCounted();

        assertThat(job.expireDue(2, 3)).isEqualTo(6);

        assertThat(oldestFirst.subList(0, 6)).allSatisfy(id -> assertThat(rows.storedStatus(id)).isEqualTo("EXPIRED"));
        assertThat(rows.storedStatus(oldestFirst.get(6))).isEqualTo("AVAILABLE");
        assertThat(expiriesCounted() - before).isEqualTo(6);

        assertThat(job.expireDue(2, 3)).isEqualTo(1);
        assertThat(rows.storedStatus(oldestFirst.get(6))).isEqualTo("EXPIRED");
        assertThat(expiriesCounted() - before).isEqualTo(7);
    }

    @Test
    void expiresACouponAtExactlyItsExpiresAtAndNotAMillisecondBefore() {
        Instant expiresAt = NOW.plusMillis(250);
        long issuance = issueExpiringAt("EDGE", expiresAt);

        walletClock().set(expiresAt.minusMillis(1));
        assertThat(job.expireDue()).isZero();
        assertThat(rows.storedStatus(issuance)).isEqualTo("AVAILABLE");

        walletClock().set(expiresAt);
        assertThat(job.expireDue()).isEqualTo(1);
        assertThat(rows.storedStatus(issuance)).isEqualTo("EXPIRED");
    }

    @Test
    void skipsACouponARedemptionHoldsAndMarksItOnTheNextRun() throws Exception {
        long held = issueExpiringAt("HELD", NOW.minus(Duration.ofHours(2)));
        long free = issueExpiringAt("FREE", NOW.minus(Duration.ofHours(1)));

        try (Connection redemption = dataSource.getConnection()) {
            redemption.setAutoCommit(false);
            try (PreparedStatement lock = redemption.prepareStatement(
                    "SELECT id FROM coupon_issuance WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, held);
                lock.executeQuery().close();
            }

            assertThat(job.expireDue()).isEqualTo(1);
            assertThat(rows.storedStatus(free)).isEqualTo("EXPIRED");
            assertThat(rows.storedStatus(held)).isEqualTo("AVAILABLE");
            redemption.rollback();
        }

        assertThat(job.expireDue()).isEqualTo(1);
        assertThat(rows.storedStatus(held)).isEqualTo("EXPIRED");
    }

    @Test
    void findsDueCouponsThroughThePartialExpiryIndex() {
        issueExpiringAt("IDX", NOW.minusSeconds(5));
        // a table this small is read whole by choice; with sequential scans off the plan shows the index is usable
        List<String> plan = transactions.execute(status -> {
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            return jdbc.sql("EXPLAIN " + ExpiryJob.EXPIRE_BATCH)
                    .param("now", Timestamp.from(NOW))
                    .param("batch", 500)
                    .query(String.class).list();
        });

        assertThat(String.join("\n", plan)).contains("coupon_issuance_expiry_idx", "CTE due");
    }
}
