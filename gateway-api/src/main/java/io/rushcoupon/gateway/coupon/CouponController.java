package io.rushcoupon.gateway.coupon;

import java.time.Clock;

import jakarta.validation.constraints.Positive;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.gateway.web.MissingState;

/** The public view of a coupon, from Redis, no token needed: what users refresh before a drop. */
@RestController
class CouponController {

    private final CouponRedis couponRedis;
    private final MissingState missingState;
    private final Clock clock;

    CouponController(CouponRedis couponRedis, MissingState missingState, Clock clock) {
        this.couponRedis = couponRedis;
        this.missingState = missingState;
        this.clock = clock;
    }

    @GetMapping("/api/v1/coupons/{couponId}")
    CouponDetails coupon(@PathVariable @Positive long couponId) {
        return couponRedis.coupon(couponId)
                .map(coupon -> CouponDetails.of(coupon, clock.instant()))
                .orElseThrow(() -> {
                    missingState.confirmNotFound();
                    return new CouponException(ErrorCode.COUPON_NOT_FOUND, "Coupon " + couponId + " does not exist.");
                });
    }
}
