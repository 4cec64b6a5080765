package io.rushcoupon.worker.reconcile;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The reconciler that repairs Redis from PostgreSQL and re-sends stuck requests.
 *
 * @param enabled          run the reconciler in this instance (one instance leads at a time anyway)
 * @param interval         pause between two rounds; the leader lock's lease is three of them
 * @param pendingThreshold a request pending longer than this is looked at: finalized when
 *                         PostgreSQL has its row, re-sent to Kafka otherwise (and at most once
 *                         per threshold)
 * @param pendingLimit     stale pending requests handled per coupon and round
 * @param endedGrace       coupons whose issue window ended less than this ago still have their
 *                         settings and stock compared with PostgreSQL's; a coupon's missing state
 *                         and its pending requests are looked after however old it is
 */
@ConfigurationProperties("rushcoupon.worker.reconciler")
@Validated
record ReconcilerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5s") @NotNull Duration interval,
        @DefaultValue("30s") @NotNull Duration pendingThreshold,
        @DefaultValue("500") @Min(1) int pendingLimit,
        @DefaultValue("1h") @NotNull Duration endedGrace) {

    Duration leaderLease() {
        return interval.multipliedBy(3);
    }
}
