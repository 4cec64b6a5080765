package io.rushcoupon.admin.stats;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.rushcoupon.admin.config.ReadSnapshot;
import io.rushcoupon.admin.coupon.Coupon;
import io.rushcoupon.admin.coupon.Coupons;
import io.rushcoupon.admin.issuance.IssuanceSummary;
import io.rushcoupon.admin.issuance.Issuances;
import io.rushcoupon.admin.redemption.Redemptions;
import io.rushcoupon.admin.stats.CouponStats.RedisFigures;
import io.rushcoupon.common.redis.CouponRedis;

/**
 * Reads a coupon's figures: PostgreSQL in one snapshot (so the row count, the stock and the
 * redemptions agree while the worker and the wallet commit), then Redis. Redis being down does not fail the answer: it is one of
 * the things an operator looks here to find out.
 */
@Service
public class CouponStatistics {

    private static final Logger log = LoggerFactory.getLogger(CouponStatistics.class);

    private final Coupons coupons;
    private final Issuances issuances;
    private final Redemptions redemptions;
    private final CouponRedis couponRedis;
    private final Clock clock;
    private final ReadSnapshot snapshot;

    CouponStatistics(Coupons coupons, Issuances issuances, Redemptions redemptions, CouponRedis couponRedis,
            Clock clock, ReadSnapshot snapshot) {
        this.coupons = coupons;
        this.issuances = issuances;
        this.redemptions = redemptions;
        this.couponRedis = couponRedis;
        this.clock = clock;
        this.snapshot = snapshot;
    }

    public CouponStats of(long couponId) {
        record Database(Coupon coupon, IssuanceSummary issuances, BigDecimal totalDiscount) {
        }
        // one instant for the derived expiry in SQL and for the coupon's derived status
        Instant now = clock.instant();
        Database database = snapshot.read(() -> new Database(coupons.require(couponId),
                issuances.summary(couponId, now), redemptions.totalDiscount(couponId)));
        return CouponStats.of(database.coupon(), database.issuances(), database.totalDiscount(), readRedis(couponId),
                now);
    }

    private RedisFigures readRedis(long couponId) {
        try {
            return new RedisFigures(true, couponRedis.coupon(couponId).orElse(null), couponRedis.pendingCount(couponId));
        } catch (RuntimeException e) {
            log.warn("Redis did not answer for the stats of coupon {}: {}", couponId, e.toString());
            return RedisFigures.unavailable();
        }
    }
}
