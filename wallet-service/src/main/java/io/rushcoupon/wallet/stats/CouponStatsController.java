package io.rushcoupon.wallet.stats;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.coupon.UserCouponTotals;

import io.rushcoupon.web.security.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Wallet")
class CouponStatsController {

    private final UserCouponStatistics statistics;

    CouponStatsController(UserCouponStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/api/v1/me/coupon-stats")
    @Operation(summary = "My coupon figures",
            description = "redeemed counts coupons whose redemption stands; a cancelled redemption is counted in "
                    + "cancelledRedemptions instead, and totalDiscount sums the redemptions that stand.")
    UserCouponTotals stats(@AuthenticationPrincipal Jwt jwt) {
        return statistics.of(UserIds.of(jwt));
    }
}
