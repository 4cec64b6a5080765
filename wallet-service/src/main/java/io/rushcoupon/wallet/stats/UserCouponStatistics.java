package io.rushcoupon.wallet.stats;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.rushcoupon.common.coupon.UserCouponTotals;

/**
 * Counts a user's coupons and redemptions in {@link UserCouponTotals#SQL}'s one statement, so every
 * figure comes from one snapshot (PostgreSQL gives each statement one); the admin reads the same.
 */
@Service
class UserCouponStatistics {

    private final JdbcClient jdbc;
    private final Clock clock;

    UserCouponStatistics(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public UserCouponTotals of(long userId) {
        return jdbc.sql(UserCouponTotals.SQL)
                .param("userId", userId)
                .param("now", OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
                .query((rs, row) -> new UserCouponTotals(rs.getLong("issued"), rs.getLong("available"),
                        rs.getLong("redeemed"), rs.getLong("expired"), rs.getLong("cancelled"),
                        rs.getBigDecimal("total_discount")))
                .single();
    }
}
