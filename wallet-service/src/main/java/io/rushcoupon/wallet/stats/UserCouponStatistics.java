package io.rushcoupon.wallet.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Counts a user's coupons and redemptions in one statement, so every figure comes from one
 * snapshot (PostgreSQL gives each statement one) and {@code available + redeemed + expired = issued}
 * holds while redemptions commit. Follows coupon_issuance_user_idx and coupon_redemption_user_idx.
 */
@Service
class UserCouponStatistics {

    /** The derived status as IssuanceStatus.at computes it: AVAILABLE past expires_at is EXPIRED. */
    private static final String STATS = """
            WITH issued AS (
                SELECT count(*) AS issued,
                       count(*) FILTER (WHERE status = 'AVAILABLE' AND expires_at > :now) AS available,
                       count(*) FILTER (WHERE status = 'REDEEMED') AS redeemed,
                       count(*) FILTER (WHERE status = 'EXPIRED' OR (status = 'AVAILABLE' AND expires_at <= :now))
                           AS expired
                FROM coupon_issuance WHERE user_id = :userId),
            redemptions AS (
                SELECT count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                       coalesce(sum(discount) FILTER (WHERE status = 'REDEEMED'), 0) AS total_discount
                FROM coupon_redemption WHERE user_id = :userId)
            SELECT * FROM issued CROSS JOIN redemptions""";

    private final JdbcClient jdbc;
    private final Clock clock;

    UserCouponStatistics(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public UserCouponStats of(long userId) {
        return jdbc.sql(STATS)
                .param("userId", userId)
                .param("now", OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
                .query((rs, row) -> new UserCouponStats(rs.getLong("issued"), rs.getLong("available"),
                        rs.getLong("redeemed"), rs.getLong("expired"), rs.getLong("cancelled"),
                        // sum() of no rows is the literal 0, without the column's scale
                        rs.getBigDecimal("total_discount").setScale(2, RoundingMode.UNNECESSARY)))
                .single();
    }
}
