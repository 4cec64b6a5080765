package io.rushcoupon.common.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class CouponStatusTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T11:00:00Z");
    private static final Instant DURING = Instant.parse("2026-12-01T10:30:00Z");

    @Test
    void isScheduledBeforeTheWindowOpens() {
        assertThat(derive(CouponState.ACTIVE, 10, START.minusSeconds(1))).isEqualTo(CouponStatus.SCHEDULED);
    }

    @Test
    void isOpenFromTheFirstInstantOfTheWindow() {
        assertThat(derive(CouponState.ACTIVE, 10, START)).isEqualTo(CouponStatus.OPEN);
    }

    @Test
    void isClosedFromTheEndOfTheWindowOn() {
        assertThat(derive(CouponState.ACTIVE, 10, END)).isEqualTo(CouponStatus.CLOSED);
    }

    @Test
    void isClosedWhenAnAdminClosedItEvenInsideTheWindow() {
        assertThat(derive(CouponState.CLOSED, 10, DURING)).isEqualTo(CouponStatus.CLOSED);
    }

    @Test
    void isSoldOutWhenNothingIsLeftEvenIfPaused() {
        assertThat(derive(CouponState.ACTIVE, 0, DURING)).isEqualTo(CouponStatus.SOLD_OUT);
        assertThat(derive(CouponState.PAUSED, 0, DURING)).isEqualTo(CouponStatus.SOLD_OUT);
    }

    @Test
    void isPausedWhenPausedWithStockLeft() {
        assertThat(derive(CouponState.PAUSED, 3, DURING)).isEqualTo(CouponStatus.PAUSED);
        assertThat(derive(CouponState.PAUSED, 3, START.minusSeconds(60))).isEqualTo(CouponStatus.PAUSED);
    }

    private static CouponStatus derive(CouponState state, long remaining, Instant now) {
        return CouponStatus.derive(state, START, END, remaining, now);
    }
}
