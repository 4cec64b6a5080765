package io.rushcoupon.wallet.expiry;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.coupon.IssuanceStatus;
import io.rushcoupon.common.metrics.MetricNames;
import io.rushcoupon.wallet.config.WalletProperties;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Marks the coupons past their expiresAt EXPIRED. Reads do not wait for it (they derive EXPIRED);
 * it keeps the stored status true for the admin's figures and keeps coupon_issuance_expiry_idx
 * (partial on AVAILABLE) small. One wallet instance at a time runs it (ShedLock on PostgreSQL);
 * each batch commits on its own, so a run holds row locks only for one batch, and SKIP LOCKED lets
 * a redemption that holds a row win it: the row is due again next batch if the redemption failed.
 */
@Component
public class ExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(ExpiryJob.class);

    /**
     * Walks coupon_issuance_expiry_idx oldest first. The batch is a MATERIALIZED CTE, not
     * {@code WHERE id IN (subquery LIMIT n)}: PostgreSQL plans that one as a nested-loop semi join that
     * rescans the LIMIT subquery per outer row, and a batch of 2 marked 7 rows
     * (ExpiryJobIntegrationTest). FOR UPDATE re-checks the status on the row's latest version, so a
     * coupon a redemption has just taken is not marked.
     */
    static final String EXPIRE_BATCH = """
            WITH due AS MATERIALIZED (
                SELECT id FROM coupon_issuance
                WHERE %s
                ORDER BY expires_at
                LIMIT :batch
                FOR UPDATE SKIP LOCKED)
            UPDATE coupon_issuance SET status = 'EXPIRED', expired_at = :now
            FROM due WHERE coupon_issuance.id = due.id""".formatted(IssuanceStatus.DUE_SQL);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final WalletProperties.Expiry settings;
    private final Counter expiries;

    ExpiryJob(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, WalletProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = properties.expiry();
        this.expiries = Counter.builder(MetricNames.EXPIRIES)
                .description("Coupons the expiry job marked EXPIRED")
                .register(meters);
    }

    /** The schedule: a first run one interval after start, then one interval after each run ends. */
    @Scheduled(fixedDelayString = "${rushcoupon.wallet.expiry.interval}",
            initialDelayString = "${rushcoupon.wallet.expiry.interval}")
    @SchedulerLock(name = "wallet-expiry")
    public void run() {
        expireDue();
    }

    /** One run with the configured batch size and batch bound; answers how many coupons it marked. */
    public int expireDue() {
        return expireDue(settings.batchSize(), settings.maxBatchesPerRun());
    }

    /**
     * Marks due coupons in batches of {@code batchSize}, at most {@code maxBatches} of them; stops
     * at the first batch that is not full (nothing more is due, or the rest is locked by redemptions).
     */
    public int expireDue(int batchSize, int maxBatches) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        int marked = 0;
        int batches = 0;
        boolean full = true;
        while (full && batches < maxBatches) {
            Integer inBatch = transactions.execute(status -> jdbc.sql(EXPIRE_BATCH)
                    .param("now", now)
                    .param("batch", batchSize)
                    .update());
            int count = inBatch == null ? 0 : inBatch;
            marked += count;
            batches++;
            expiries.increment(count);
            full = count == batchSize;
        }
        if (marked > 0) {
            log.info("Expiry: marked {} coupons EXPIRED in {} batches of at most {} (due at {}){}", marked, batches,
                    batchSize, now, full ? "; batch bound reached, the next run goes on" : "");
        }
        return marked;
    }
}
