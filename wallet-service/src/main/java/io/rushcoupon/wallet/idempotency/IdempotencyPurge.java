package io.rushcoupon.wallet.idempotency;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.rushcoupon.wallet.config.WalletProperties;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Deletes the keys older than {@code rushcoupon.wallet.idempotency.retention}, one bounded batch
 * per statement so no transaction grows with the backlog. One wallet instance at a time (ShedLock,
 * WalletConfiguration). Hourly: keys are kept at least the retention (24 h), so an hour late is harmless.
 */
@Component
class IdempotencyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final IdempotencyKeys keys;
    private final Clock clock;
    private final WalletProperties.Idempotency settings;

    IdempotencyPurge(IdempotencyKeys keys, Clock clock, WalletProperties properties) {
        this.keys = keys;
        this.clock = clock;
        this.settings = properties.idempotency();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @SchedulerLock(name = "redemption-idempotency-purge", lockAtLeastFor = "PT1M")
    void purgeOnSchedule() {
        int deleted = purge();
        if (deleted > 0) {
            log.info("Purged {} idempotency keys older than {}", deleted, settings.retention());
        }
    }

    /** Answers how many keys were deleted; each batch commits on its own. */
    int purge() {
        var cutoff = clock.instant().minus(settings.retention());
        int total = 0;
        int deleted;
        do {
            deleted = keys.deleteCreatedBefore(cutoff, settings.purgeBatchSize());
            total += deleted;
        } while (deleted == settings.purgeBatchSize());
        return total;
    }
}
