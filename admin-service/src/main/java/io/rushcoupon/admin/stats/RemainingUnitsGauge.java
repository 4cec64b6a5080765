package io.rushcoupon.admin.stats;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.rushcoupon.admin.config.AdminProperties;
import io.rushcoupon.admin.coupon.Coupon;
import io.rushcoupon.admin.coupon.CouponStatusSpecifications;
import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.common.coupon.CouponStatus;
import io.rushcoupon.common.metrics.MetricNames;

/**
 * {@value MetricNames#COUPON_REMAINING}: remaining units in PostgreSQL of each coupon whose window
 * is open (OPEN, and SOLD_OUT or PAUSED within the window), tagged by coupon id. Refreshed on a
 * fixed delay; a coupon that closes, ends or is deleted loses its gauge, and at most
 * {@code maxCoupons} are reported, so the series count stays bounded. Sold-out coupons stay until
 * their window ends so a rush's graph goes down to 0 instead of stopping at the last value seen.
 */
@Component
class RemainingUnitsGauge implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RemainingUnitsGauge.class);

    /** Those ending soonest matter most on a dashboard when more than the cap are open. */
    private static final Sort ENDING_FIRST = Sort.by("issueEndsAt", "id");

    private final Coupons coupons;
    private final Clock clock;
    private final AdminProperties.Gauge settings;
    private final MultiGauge gauge;

    RemainingUnitsGauge(Coupons coupons, Clock clock, AdminProperties properties, MeterRegistry registry) {
        this.coupons = coupons;
        this.clock = clock;
        this.settings = properties.gauge();
        this.gauge = MultiGauge.builder(MetricNames.COUPON_REMAINING)
                // no base unit: Prometheus would append it to the name dashboards refer to
                .description("Remaining units in PostgreSQL of each coupon whose issue window is open")
                .register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refresh, settings.refresh());
    }

    void refresh() {
        try {
            Instant now = clock.instant();
            List<Coupon> open = coupons.findAll(
                    CouponStatusSpecifications.withStatus(CouponStatus.OPEN, now)
                            .or(CouponStatusSpecifications.withStatus(CouponStatus.SOLD_OUT, now))
                            .or(CouponStatusSpecifications.withStatus(CouponStatus.PAUSED, now))
                            .and(started(now)),
                    PageRequest.of(0, settings.maxCoupons(), ENDING_FIRST)).getContent();
            // overwrite: replace the values of coupons still open, drop gauges of the others
            gauge.register(open.stream()
                    .map(coupon -> MultiGauge.Row.of(Tags.of(MetricNames.COUPON, Long.toString(coupon.id())),
                            coupon.remainingQuantity()))
                    .toList(), true);
        } catch (DataAccessException e) {
            // keep the last values; the next refresh tries again
            log.warn("Could not refresh {}: {}", MetricNames.COUPON_REMAINING, e.toString());
        }
    }

    /** A coupon paused before its window opened is not part of any rush yet. */
    private static Specification<Coupon> started(Instant now) {
        return (root, query, cb) -> cb.lessThanOrEqualTo(root.<Instant>get("issueStartsAt"), now);
    }
}
