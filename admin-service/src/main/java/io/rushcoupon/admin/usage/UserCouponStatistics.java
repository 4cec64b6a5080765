package io.rushcoupon.admin.usage;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Service;

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
            UserCouponUsage.IssuanceCounts issued = usage.issuances(userId, now);
            UserCouponUsage.RedemptionFigures redemptions = usage.redemptions(userId);
            return new UserCouponStats(userId, issued.issued(), issued.available(), issued.redeemed(),
                    issued.expired(), redemptions.cancelled(), redemptions.totalDiscount(),
                    usage.coupons(userId, now));
        });
    }
}
