package io.rushcoupon.gateway.web;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.web.problem.RetryLaterException;

/**
 * Before the gateway says a coupon or request does not exist: after Redis restarted empty, it may
 * only not be restored yet (the worker's reconciler rebuilds it from PostgreSQL within a round).
 * Until the reconciler marks the state loaded ({@link CouponKeys#STATE_LOADED}), "not found" is
 * answered 503 UNAVAILABLE with Retry-After, never 404: a user must not be told a live coupon is
 * gone. One extra Redis read, on the not-found path only.
 */
@Component
public class MissingState {

    private final CouponRedis couponRedis;
    private final Duration retryAfter;

    public MissingState(CouponRedis couponRedis, GatewayProperties settings) {
        this.couponRedis = couponRedis;
        this.retryAfter = settings.unavailableRetryAfter();
    }

    /**
     * Returns when "not found" is the true answer.
     *
     * @throws RetryLaterException UNAVAILABLE while Redis's state is being restored, or unreachable
     */
    public void confirmNotFound() {
        boolean loaded;
        try {
            loaded = couponRedis.stateLoaded();
        } catch (RuntimeException e) {
            if (!RedisFailures.isUnavailable(e)) {
                throw e;
            }
            loaded = false;
        }
        if (!loaded) {
            throw new RetryLaterException(ErrorCode.UNAVAILABLE,
                    "Coupon state is being restored; retry shortly.", retryAfter);
        }
    }
}
