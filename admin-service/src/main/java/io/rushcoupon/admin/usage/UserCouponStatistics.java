package io.rushcoupon.admin.usage;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Service;

import io.rushcoupon.common.coupon.UserCouponTotals;

import io.rushcoupon.admin.config.ReadSnapshot;

/**
 * A user's figures read in one snapshot, so the totals and the per-coupon rows agree while the
 * worker issues and the wallet redeems, with statuses derived at one instant.
 */
@Service
class UserCouponStatistics {

    private final UserCouponUsage usage;
    private final ReadSnapshot snapshot;
    private final Clock clock;

    UserCouponStatistics(UserCouponUsage usage, ReadSnapshot snapshot, Clock clock) {
        this.usage = usage;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /**
     * A user nobody issued a coupon to answers zeros: users exist for the coupon service only by
     * their issuances (the token's subject), so "unknown" and "holds nothing" are the same.
     */
    UserCouponStats of(long userId) {
        Instant now = clock.instant();
        return snapshot.read(() -> {
            UserCouponTotals totals = usage.totals(userId, now);
            return new UserCouponStats(userId, totals.issued(), totals.available(), totals.redeemed(),
                    totals.expired(), totals.cancelledRedemptions(), totals.totalDiscount(),
                    usage.coupons(userId, now));
        });
    }
}
