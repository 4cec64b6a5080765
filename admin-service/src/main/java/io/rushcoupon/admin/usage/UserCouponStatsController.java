package io.rushcoupon.admin.usage;

import jakarta.validation.constraints.Positive;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Usage", description = "Coupon usage per user")
class UserCouponStatsController {

    private final UserCouponStatistics statistics;

    UserCouponStatsController(UserCouponStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/api/v1/admin/users/{userId}/coupon-stats")
    @Operation(summary = "A user's coupon figures, as the wallet shows them to the user, and per coupon",
            description = "Statuses are derived at the time of the answer (AVAILABLE past expiresAt is EXPIRED). "
                    + "coupons lists the newest " + UserCouponUsage.MAX_COUPONS + " at most, newest issue first. "
                    + "A user nobody issued a coupon to answers 200 with zeros and no coupons.")
    UserCouponStats stats(@PathVariable @Positive long userId) {
        return statistics.of(userId);
    }
}
