package io.rushcoupon.gateway.web;

import java.time.Duration;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

/**
 * A refusal the client should repeat later (BUSY, UNAVAILABLE): answered with {@code Retry-After}.
 */
public class RetryLaterException extends CouponException {

    private final Duration retryAfter;

    public RetryLaterException(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, at least one, as {@code Retry-After} wants them. */
    public String retryAfterSeconds() {
        long millis = retryAfter.toMillis();
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }
}
