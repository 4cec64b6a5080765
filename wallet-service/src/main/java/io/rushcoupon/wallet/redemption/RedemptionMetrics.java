package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rushcoupon.common.metrics.MetricNames;

/**
 * Redemptions by outcome, the discount given and the cancellations (MetricNames). Every outcome's
 * series exists from the start at 0, so a rate over it is defined before the first of its kind.
 */
@Component
class RedemptionMetrics {

    /** The {@code outcome} tag values of {@link MetricNames#REDEMPTIONS}. */
    enum Outcome {
        REDEEMED, REPLAYED, ALREADY_REDEEMED, EXPIRED, MIN_ORDER_NOT_MET, NOT_FOUND, KEY_REUSED, IN_PROGRESS, ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Outcome, Counter> redemptions = new EnumMap<>(Outcome.class);
    private final Counter discountGiven;
    private final Counter cancellations;

    RedemptionMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            redemptions.put(outcome, Counter.builder(MetricNames.REDEMPTIONS)
                    .description("Redemption requests by outcome")
                    .tag(MetricNames.OUTCOME, outcome.tag())
                    .register(registry));
        }
        discountGiven = Counter.builder(MetricNames.DISCOUNT_GIVEN)
                .description("Discount of the redemptions made, in the coupons' currency")
                .register(registry);
        cancellations = Counter.builder(MetricNames.REDEMPTION_CANCELLATIONS)
                .description("Redemptions cancelled")
                .register(registry);
    }

    void outcome(Outcome outcome) {
        redemptions.get(outcome).increment();
    }

    void redeemed(BigDecimal discount) {
        outcome(Outcome.REDEEMED);
        discountGiven.increment(discount.doubleValue());
    }

    void cancelled() {
        cancellations.increment();
    }
}
